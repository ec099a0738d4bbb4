/**
 * The one stylesheet of the hosted pages, served from our own origin (the CSP allows no other).
 * Readable without it; high contrast, visible focus, respects the user's colour scheme.
 */
export const STYLESHEET_PATH = "/hosted/style.css";

export const STYLESHEET = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #4d5761; --bg: #f6f7f9; --card: #fff; --line: #c9ced6;
  --accent: #0b5cad; --accent-fg: #fff; --danger: #a4161a; --ok: #1e6b35; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --muted: #b3bac4; --bg: #15181c; --card: #1f2429; --line: #3d4550;
  --accent: #6cb2ff; --accent-fg: #0b1420; --danger: #ff8a8a; --ok: #7fd69a; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 34rem; margin: 2.5rem auto; padding: 2rem; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
main.wide { max-width: 52rem; }
.brand { margin: 0 0 1rem; font-weight: 600; color: var(--muted); letter-spacing: .02em; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
p { margin: .5rem 0 1rem; }
a { color: var(--accent); }
.field { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=text], input[type=email], input[type=password], select { width: 100%; padding: .6rem .7rem; font: inherit; color: inherit;
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
.hint { margin: .25rem 0 0; color: var(--muted); font-size: .9rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.25rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: var(--accent-fg); cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button.danger { background: transparent; color: var(--danger); border-color: var(--danger); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.notice { padding: .75rem 1rem; border-radius: 6px; border: 1px solid; }
.notice.error { color: var(--danger); border-color: var(--danger); }
.notice.ok { color: var(--ok); border-color: var(--ok); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 0 0 1rem; }
th, td { text-align: left; padding: .45rem .4rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
td form { margin: 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.fine { color: var(--muted); font-size: .9rem; }
`;
