// Placeholder view: the live event stream, one line per event.
export {};
const list = document.getElementById('events')!;
const status = document.getElementById('status')!;
const source = new EventSource('events?since=0');
source.onopen = () => (status.textContent = 'Live');
source.onerror = () => (status.textContent = 'Reconnecting…');
source.onmessage = (message: MessageEvent<string>) => {
  const item = document.createElement('li');
  const payload = JSON.parse(message.data) as { event?: string; data?: { roomName?: string } };
  item.textContent = `#${message.lastEventId} ${payload.event ?? '?'} ${payload.data?.roomName ?? ''}`;
  list.prepend(item);
};
