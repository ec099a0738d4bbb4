/**
 * Test host for the MCP Apps views: headless Debian Chromium (playwright-core, a fresh profile)
 * showing test/ui/browser/harness.ts, whose AppBridge forwards each tools/call of a view to
 * `callTool` — in the tests, the official MCP client of the real server, so a view's action travels
 * view → host bridge → MCP → our tool → the sandbox, as it would in Claude.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolRequest, CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { chromium, type BrowserContext, type Frame, type Page } from "playwright-core";
import type { HarnessWindow, OpenViewOptions } from "./harness-types.ts";

import { CHROMIUM, CHROMIUM_ARGS as ARGS } from "../helpers/system.ts";

/**
 * Text that fails WCAG 2.x contrast (4.5:1, 3:1 for large text) against the background it is drawn
 * on, as "text: ratio"; only visible, enabled text is checked. Runs in the view's frame.
 */
export async function contrastFailures(frame: Frame): Promise<string[]> {
  return frame.evaluate(`(() => {
    const parse = (c) => { const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number); return { r, g, b, a }; };
    const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const failures = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.getClientRects().length === 0 || el.closest(".sr-only, :disabled")) continue;
      const style = getComputedStyle(el);
      const [x, y] = [lum(parse(style.color)), lum(background(el))];
      const ratio = (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(node.textContent.trim().slice(0, 40) + ": " + ratio.toFixed(2));
    }
    return failures;
  })()`);
}

export interface ViewHost {
  page: Page;
  /** Every tools/call a view sent through the host, in order. */
  calls: Array<CallToolRequest["params"]>;
  /** Texts of any alert/confirm/prompt dialogs (a view never opens one). */
  dialogs: string[];
  /** Loads a view and waits until it has the tool result; returns the view's frame. */
  open(options: Omit<OpenViewOptions, "width" | "theme"> & { theme?: "light" | "dark"; width?: number }): Promise<Frame>;
  setTheme(theme: "light" | "dark"): Promise<void>;
  close(): Promise<void>;
}

async function harnessScript(): Promise<string> {
  const build = await Bun.build({ entrypoints: [new URL("./browser/harness.ts", import.meta.url).pathname], target: "browser", format: "esm", minify: true });
  if (!build.success) throw new Error(build.logs.map(String).join("\n"));
  return build.outputs[0]!.text();
}

export async function startViewHost(callTool: (params: CallToolRequest["params"]) => Promise<CallToolResult>): Promise<ViewHost> {
  if (!(await Bun.file(CHROMIUM).exists())) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`);
  }
  const [script, profile] = [await harnessScript(), mkdtempSync(join(tmpdir(), "autotask-mcp-chromium-"))];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 800, height: 900 } });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  // A page wait on a busy shared 2-core machine: generous, so only a real hang fails.
  context.setDefaultTimeout(20_000);
  const calls: ViewHost["calls"] = [];
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.exposeFunction("hostCallTool", (params: CallToolRequest["params"]) => {
    calls.push(params);
    return callTool(params);
  });
  await page.setContent(`<!doctype html><html><head><title>host</title></head><body><script type="module">${script.replace(/<\/script/gi, "<\\/script")}</script></body></html>`);
  await page.waitForFunction(() => typeof (globalThis as unknown as HarnessWindow).openView === "function");

  return {
    page,
    calls,
    dialogs,
    async open(options) {
      const full: OpenViewOptions = { theme: "light", width: 760, ...options };
      await page.evaluate((o) => (globalThis as unknown as HarnessWindow).openView(o), full);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      if (!frame) throw new Error("the view frame did not load");
      return frame;
    },
    async setTheme(theme) {
      await page.evaluate((t) => (globalThis as unknown as HarnessWindow).setTheme(t), theme);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
