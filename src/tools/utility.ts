/** Connection and account tools. */
import { z } from "zod";
import { checkConnection } from "../autotask/connection.ts";
import { defineTool } from "./define.ts";

export const utilityTools = [
  defineTool({
    name: "autotask_test_connection",
    title: "Test Autotask connection",
    description:
      "Checks the credentials with one call (zone, API URL, the API user's resource).",
    toolset: "core",
    category: "utility",
    input: z.object({}),
    output: z.object({
      success: z.boolean(),
      message: z.string(),
      zoneName: z.string(),
      apiUrl: z.string(),
      username: z.string(),
      resourceId: z.number().optional(),
      resourceName: z.string().optional(),
      ms: z.number(),
    }),
    annotations: { readOnly: true },
    async run(_args, ctx) {
      const report = await checkConnection(ctx.client);
      return {
        success: true,
        message: `Connected to Autotask zone ${report.zoneName} as ${report.resource?.name ?? report.username}`,
        zoneName: report.zoneName,
        apiUrl: report.apiUrl,
        username: report.username,
        ...(report.resource ? { resourceId: report.resource.id, resourceName: report.resource.name } : {}),
        ms: report.ms,
      };
    },
  }),
];
