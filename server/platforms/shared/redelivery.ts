// What "copy as curl" says about sending a stored body again, for the platforms that recognise a retry
// by its bytes (they have no event id: OpenVidu 2, LiveSwitch, EnableX).

export function sameBytesNote(label: string, seq: number): string {
  return `roomwatch recognises a ${label} delivery by its bytes: unless this body was one element of a batch, the same body is acknowledged as a repeat of #${seq} (200, "repeated"), not stored again`;
}
