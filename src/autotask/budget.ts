/**
 * A tenant's hourly API budget. Autotask allows 10,000 requests per rolling 60 minutes per database
 * (all integrations together) and refuses past it; GET ThresholdInformation reports the figures
 * (Autotask REST API docs, "Rate limits and thresholds"). Reading it costs a request, so it is read at most once a minute per
 * tenant across all replicas (Coordinator.claimUsageRead) and only for tenants in use: a tenant is
 * first read by a fan-out tool, by autotask_get_api_usage, or once this deployment has sent it
 * TRACK_AFTER_REQUESTS requests; in between, the requests sent since the last reading are added.
 *
 * From WARN_PERCENT a tool's result carries a note; from REFUSE_FAN_OUT_PERCENT tools flagged
 * `fanOut` (one call, many requests) are refused, so what is left of the hour stays for single
 * reads and writes.
 */
import type { Coordinator, UsageLedger } from "../coord/coordinator.ts";
import type { Logger } from "../log.ts";
import type { ThresholdInfo } from "./types.ts";

export const WARN_PERCENT = 75;
export const REFUSE_FAN_OUT_PERCENT = 90;
/** A reading older than this is read again (by one replica) when the tenant is used. */
const READ_EVERY_MS = 60_000;
/** A tenant never read is read once this deployment has sent it this many requests. */
const TRACK_AFTER_REQUESTS = 100;
/** How long one replica's claim on the next reading lasts (a failed read is retried after it). */
const CLAIM_MS = 30_000;

/** Usage as last read plus what was sent since. */
export interface UsageFigures {
  threshold: number;
  timeframeMinutes: number;
  /** Requests used in the current timeframe: the last reading plus the requests sent since (an estimate). */
  used: number;
  /** used / threshold, in percent with one decimal. */
  percentUsed: number;
  /** When ThresholdInformation was read (epoch ms). */
  readAt: number;
}

/** What admit() decided: run (with a note for the result at 75 % and more), or refuse with a message. */
export type BudgetDecision = { ok: true; note?: string } | { ok: false; message: string };

export class ApiBudget {
  /**
   * @param tenant the tenant's key (context.ts tenantId: a hash, never a secret)
   * @param readThreshold GET ThresholdInformation with the tenant's credentials
   */
  constructor(
    private readonly tenant: string,
    private readonly coordinator: Coordinator,
    private readonly readThreshold: () => Promise<ThresholdInfo>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads ThresholdInformation now and shares the reading with every replica. Throws what the read throws. */
  async read(): Promise<UsageFigures> {
    const info = await this.readThreshold();
    const reading = { threshold: info.externalRequestThreshold, timeframeMinutes: info.requestThresholdTimeframe, used: info.currentTimeframeRequestCount, readAt: this.now() };
    await this.coordinator.recordUsage(this.tenant, reading);
    return figuresOf({ reading, sentSince: 0 })!;
  }

  /**
   * Before a tool runs: reads the usage again when due — awaited for a fan-out tool, which needs a
   * current figure, in the background otherwise — then refuses a fan-out tool from 90 % and adds a
   * note from 75 %. A failed reading lets the tool run: the budget advises, Autotask enforces.
   */
  async admit(tool: { name: string; fanOut?: boolean }): Promise<BudgetDecision> {
    const ledger = await this.coordinator.usage(this.tenant);
    let figures = figuresOf(ledger);
    const due = ledger.reading ? this.now() - ledger.reading.readAt >= READ_EVERY_MS : tool.fanOut === true || ledger.sentSince >= TRACK_AFTER_REQUESTS;
    if (due && (await this.coordinator.claimUsageRead(this.tenant, CLAIM_MS))) {
      const reading = this.read().catch((error: Error) => {
        this.log.debug("API usage could not be read", { error: error.message });
        return figures;
      });
      if (tool.fanOut) figures = await reading;
    }
    if (!figures) return { ok: true };
    if (tool.fanOut && figures.percentUsed >= REFUSE_FAN_OUT_PERCENT) {
      return {
        ok: false,
        message:
          `${tool.name} was not run: this Autotask database has used about ${describe(figures)}, and this tool can send many requests. ` +
          `From ${REFUSE_FAN_OUT_PERCENT} % such tools are refused so that the rest of the hour stays for single reads and writes. ` +
          `Use narrower tools (autotask_count, a filtered search) or retry once usage has fallen; autotask_get_api_usage shows the figures.`,
      };
    }
    if (figures.percentUsed >= WARN_PERCENT) {
      return {
        ok: true,
        note: `Autotask API budget: about ${describe(figures)} used. Prefer autotask_count and narrow filters; from ${REFUSE_FAN_OUT_PERCENT} % tools that send many requests are refused.`,
      };
    }
    return { ok: true };
  }
}

/** Figures from a ledger: the reading plus what was sent since. */
export function figuresOf(ledger: UsageLedger): UsageFigures | undefined {
  const { reading } = ledger;
  if (!reading) return undefined;
  const used = reading.used + ledger.sentSince;
  const percentUsed = reading.threshold > 0 ? Math.round((used / reading.threshold) * 1000) / 10 : 0;
  return { threshold: reading.threshold, timeframeMinutes: reading.timeframeMinutes, used, percentUsed, readAt: reading.readAt };
}

function describe(figures: UsageFigures): string {
  return `${figures.percentUsed} % of its ${figures.threshold.toLocaleString("en-US")} requests per ${figures.timeframeMinutes} minutes (${figures.used.toLocaleString("en-US")})`;
}
