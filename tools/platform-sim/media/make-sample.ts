// Makes sample.mp4, the file the OpenVidu 2 simulator serves for every recording: 3 s of a moving
// square, H.264 in MP4, recorded by chromium's own MediaRecorder (no encoder needed on the machine).
// Run once: node --import tsx tools/platform-sim/media/make-sample.ts (the file is committed).
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
// A string, not a function: the page must get the code as written, without a bundler's helpers.
const base64 = await page.evaluate<string>(`(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d');
  const stream = canvas.captureStream(25);
  const recorder = new MediaRecorder(stream, { mimeType: 'video/mp4;codecs=avc1', videoBitsPerSecond: 150_000 });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  const started = performance.now();
  await new Promise((resolve) => {
    const frame = () => {
      const t = (performance.now() - started) / 1000;
      context.fillStyle = '#1b2a41';
      context.fillRect(0, 0, 320, 180);
      context.fillStyle = '#f2a541';
      context.fillRect(20 + ((t * 80) % 260), 60, 40, 40);
      context.fillStyle = '#ffffff';
      context.font = '16px sans-serif';
      context.fillText('roomwatch · OpenVidu 2 simulator', 20, 30);
      if (t < 3) requestAnimationFrame(frame);
      else resolve();
    };
    frame();
  });
  recorder.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
})()`);
await browser.close();
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sample.mp4');
writeFileSync(out, Buffer.from(base64, 'base64'));
console.log(`wrote ${out}`);
