import { chromium } from 'playwright-core';
const [file, y, h, out, w] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--allow-file-access-from-files'] });
const p = await b.newPage({ viewport: { width: Number(w ?? 390), height: Number(h) } });
await p.goto('file:///tmp/x.html'.replace('x', 'cropview'));
await p.evaluate(([f, y]) => { document.body.style.margin = '0'; const i = document.createElement('img'); i.src = 'file://' + f; i.style.display = 'block'; document.body.append(i); return new Promise((r) => (i.onload = () => { window.scrollTo(0, y); r(); })); }, [file, Number(y)]);
await p.screenshot({ path: out });
await b.close();
