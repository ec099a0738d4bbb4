/**
 * The views' stylesheet. Colours, fonts and radii read the host's MCP Apps style variables
 * (`--color-text-primary` …, SEP-1865 host context `styles.variables`) and fall back to our own
 * light and dark palettes, chosen for WCAG AA contrast (4.5:1 for text). The brand accent only
 * fills buttons and the header rule, always with a computed black/white label (page.ts); focus
 * rings use the text colour so they stay visible whatever the brand.
 */
export const VIEW_CSS = `
:root{
  --bg:var(--color-background-primary,#ffffff);--bg2:var(--color-background-secondary,#f3f4f6);
  --fg:var(--color-text-primary,#1b1d21);--fg2:var(--color-text-secondary,#4a4f57);
  --border:var(--color-border-primary,#c9ced6);
  --danger:var(--color-text-danger,#b3261e);--warning:var(--color-text-warning,#8a5300);
  --success:var(--color-text-success,#1d7431);--info:var(--color-text-info,#1d4f91);
  --focus:var(--color-ring-primary,var(--fg));
  --font:var(--font-sans,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);
  --mono:var(--font-mono,ui-monospace,SFMono-Regular,Menlo,Consolas,monospace);
  --radius:var(--border-radius-md,8px);
  color-scheme:light;
}
:root[data-theme=dark]{
  --bg:var(--color-background-primary,#1c1d21);--bg2:var(--color-background-secondary,#272a30);
  --fg:var(--color-text-primary,#eceef2);--fg2:var(--color-text-secondary,#b7bcc5);
  --border:var(--color-border-primary,#454a54);
  --danger:var(--color-text-danger,#ff9a90);--warning:var(--color-text-warning,#f5c46b);
  --success:var(--color-text-success,#82dc9c);--info:var(--color-text-info,#9cc3ff);
  color-scheme:dark;
}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 var(--font)}
body{padding:0 16px 16px}
main:focus{outline:none}
h1{font-size:18px;margin:2px 0 8px;line-height:1.3}
h2{font-size:15px;margin:16px 0 8px}
h3{font-size:14px;margin:0}
p{margin:6px 0}
.muted{color:var(--fg2)}
.mono{font-family:var(--mono)}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.brand{display:flex;align-items:center;gap:8px;padding:8px 0;margin-bottom:10px;border-top:3px solid var(--brand);color:var(--fg2);font-size:12px;font-weight:600}
.brand-logo{height:20px;width:auto}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
button,select,input,textarea{font:inherit;color:inherit}
button{cursor:pointer;border-radius:var(--radius);border:1px solid var(--border);background:var(--bg2);padding:5px 12px}
button.primary{background:var(--brand);color:var(--on-brand);border-color:var(--brand);font-weight:600}
button:disabled{opacity:.6;cursor:progress}
button.link{border:none;background:none;padding:0;text-decoration:underline;font-family:var(--mono)}
input,select,textarea{background:var(--bg);border:1px solid var(--border);border-radius:var(--radius);padding:5px 8px}
textarea{width:100%;min-height:72px;resize:vertical}
label{display:block;font-weight:600;margin:8px 0 4px}
label.inline{display:inline-flex;gap:6px;align-items:center;font-weight:400}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
.row>div{min-width:120px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 10px}
.chip{display:inline-block;padding:1px 8px;border-radius:999px;border:1px solid var(--border);background:var(--bg2);font-size:12px;font-weight:600;white-space:nowrap}
.tone-danger{color:var(--danger);border-color:var(--danger)}
.tone-warning{color:var(--warning);border-color:var(--warning)}
.tone-success{color:var(--success);border-color:var(--success)}
.tone-info{color:var(--info);border-color:var(--info)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--fg2)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
ul.plain{list-style:none;margin:0;padding:0}
.sla li{display:flex;flex-wrap:wrap;gap:4px 12px;padding:4px 0;border-bottom:1px solid var(--border)}
.sla .what{min-width:130px;color:var(--fg2)}
.note{border:1px solid var(--border);border-radius:var(--radius);padding:8px 10px;margin:0 0 8px}
.note header{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center;margin-bottom:4px}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
details{border:1px solid var(--border);border-radius:var(--radius);padding:6px 10px;margin:0 0 8px}
summary{cursor:pointer;font-weight:600}
.message{margin:8px 0;padding:6px 10px;border-radius:var(--radius);border:1px solid var(--border)}
.message.error{color:var(--danger);border-color:var(--danger)}
.message.ok{color:var(--success);border-color:var(--success)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
th{color:var(--fg2);font-weight:600;white-space:nowrap}
tbody th,tfoot th{color:var(--fg);white-space:normal}
tbody th{font-weight:400}
table.compact{font-size:13px}
table.compact th,table.compact td{padding:5px 6px}
td.nowrap{white-space:nowrap}
.sub{display:block;color:var(--fg2);font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot td,tfoot th{font-weight:600}
th button.sort{border:none;background:none;padding:0;font-weight:600;color:inherit}
tbody tr.clickable{cursor:pointer}
tbody tr.clickable:hover{background:var(--bg2)}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;margin-bottom:8px}
`;
