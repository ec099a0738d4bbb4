/**
 * The scale-out deployment files in deploy/, checked for what would break a rollout. Neither kubectl
 * nor helm can be installed here (their binaries come from GitHub), so the Kubernetes manifests are
 * checked structurally with a YAML parser (Bun.YAML): kinds and API versions, probes on the routes the
 * server answers, selectors that match, env names the configuration knows and values it accepts.
 * deploy/nginx.conf is not only parsed: the scale tests run it with Debian's nginx (`nginx -t` first).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENV_VARS, parseConfig } from "../src/config.ts";
import { ROOT } from "./helpers/mcp.ts";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; stringData?: Record<string, string> };
type EnvEntry = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };

const DEPLOY = join(ROOT, "deploy");
const yaml = (path: string) => Bun.YAML.parse(readFileSync(path, "utf8")) as unknown;

/** Compose's `${VAR:-default}` with nothing set in the environment. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1");

describe("deploy/docker-compose.yml", () => {
  const compose = yaml(join(DEPLOY, "docker-compose.yml")) as { services: Record<string, any> };
  const app = compose.services["autotask-mcp"];

  test("three replicas of the image, nginx in front, Redis and PostgreSQL they wait for", () => {
    expect(app.deploy.replicas).toBe(3);
    expect(app.build).toBe("..");
    expect(Object.keys(compose.services).sort()).toEqual(["autotask-mcp", "nginx", "postgres", "redis"]);
    expect(app.depends_on).toEqual({ redis: { condition: "service_healthy" }, postgres: { condition: "service_healthy" } });
    expect(compose.services.nginx.depends_on).toEqual({ "autotask-mcp": { condition: "service_healthy" } });
    expect(compose.services.nginx.ports).toEqual(["8080:8080"]);
    const [source, target] = (compose.services.nginx.volumes[0] as string).split(":");
    expect(existsSync(join(DEPLOY, source!))).toBe(true);
    expect(target).toBe("/etc/nginx/nginx.conf");
    expect(app.healthcheck.test).toEqual(["CMD", "/usr/local/bin/autotask-mcp", "healthcheck"]);
    expect(app.read_only).toBe(true);
    expect(app.cap_drop).toEqual(["ALL"]);
  });

  test("its environment names only real variables, parses, and points at the services by name", () => {
    const env = Object.fromEntries(Object.entries(app.environment as Record<string, string>).map(([name, value]) => [name, interpolate(String(value))]));
    for (const name of Object.keys(env)) expect(ENV_VARS).toContain(name as never);
    const config = parseConfig(env);
    expect(config.authMode).toBe("gateway");
    expect(new URL(config.redisUrl!).hostname).toBe("redis");
    expect(new URL(config.hosted.databaseUrl).hostname).toBe("postgres");
    expect(new URL(config.hosted.databaseUrl).password).toBe(compose.services.postgres.environment.POSTGRES_PASSWORD.replace(/\$\{[A-Z_]+:-([^}]*)\}/, "$1"));
    // Hosted mode is a variable away.
    expect(parseConfig({ ...env, AUTH_MODE: "oauth", MCP_PUBLIC_URL: "https://mcp.example.com", AUTOTASK_MCP_ENCRYPTION_KEY: "k" }).authMode).toBe("oauth");
  });
});

describe("deploy/nginx.conf", () => {
  const conf = readFileSync(join(DEPLOY, "nginx.conf"), "utf8");

  test("round-robin over the service, never resending a request that reached a replica", () => {
    expect(conf).toMatch(/^\s*server autotask-mcp:8080[^;]*;$/m);
    expect(conf).toMatch(/^\s*listen 8080;$/m);
    expect(conf).toMatch(/^\s*proxy_next_upstream error timeout;$/m);
    expect(conf).not.toContain("non_idempotent");
    expect(conf).not.toMatch(/^\s*(ip_hash|hash|sticky)\b/m);
    // Longer than the longest tool call (MCP_TOOL_TIMEOUT_SECONDS defaults to 120).
    expect(Number(/proxy_read_timeout (\d+)s;/.exec(conf)![1])).toBeGreaterThan(parseConfig({}).http.toolTimeoutMs / 1000);
  });
});

describe("deploy/kubernetes", () => {
  const dir = join(DEPLOY, "kubernetes");
  const kustomization = yaml(join(dir, "kustomization.yaml")) as { resources: string[] };
  const manifests = kustomization.resources.flatMap((file) => {
    const parsed = yaml(join(dir, file));
    return (Array.isArray(parsed) ? parsed : [parsed]) as Manifest[];
  });
  const find = (kind: string, name: string) => {
    const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
    return found;
  };
  const deployment = find("Deployment", "autotask-mcp");
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const env = container.env as EnvEntry[];

  test("every manifest has a known kind and API version", () => {
    const known: Record<string, string> = {
      Secret: "v1",
      Service: "v1",
      Deployment: "apps/v1",
      PodDisruptionBudget: "policy/v1",
      HorizontalPodAutoscaler: "autoscaling/v2",
    };
    for (const manifest of manifests) expect(`${manifest.kind} ${manifest.apiVersion}`).toBe(`${manifest.kind} ${known[manifest.kind]}`);
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(["Deployment", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret", "Service", "Service"]);
  });

  test("the Deployment: readiness on /ready, liveness on /health, on the port the server listens on", () => {
    const port = container.ports.find((entry: { name: string }) => entry.name === "http");
    const listens = env.find((entry) => entry.name === "MCP_HTTP_PORT")!.value;
    expect(String(port.containerPort)).toBe(listens!);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    // Room for the 25 s drain after SIGTERM.
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(25);
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels);
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  test("its environment names only real variables and parses; secrets come from the Secret, the key as a mounted file", () => {
    const secret = find("Secret", "autotask-mcp");
    const values: Record<string, string> = {};
    for (const entry of env) {
      expect(ENV_VARS).toContain(entry.name as never);
      if (entry.valueFrom) {
        expect(entry.valueFrom.secretKeyRef.name).toBe("autotask-mcp");
        values[entry.name] = secret.stringData![entry.valueFrom.secretKeyRef.key]!;
      } else values[entry.name] = entry.value!;
    }
    const config = parseConfig(values);
    expect(new URL(config.redisUrl!).hostname).toBe(find("Service", "autotask-mcp-redis").metadata.name);
    const mount = container.volumeMounts.find((entry: { name: string }) => entry.name === "encryption-key");
    const volume = pod.spec.volumes.find((entry: { name: string }) => entry.name === "encryption-key");
    expect(volume.secret.secretName).toBe("autotask-mcp");
    expect(`${mount.mountPath}/${volume.secret.items[0].path}`).toBe(config.hosted.encryptionKeyFile!);
    expect(Object.keys(secret.stringData!)).toContain(volume.secret.items[0].key);
  });

  test("the Service, PodDisruptionBudget and HorizontalPodAutoscaler select the Deployment's pods", () => {
    const labels = pod.metadata.labels;
    const service = find("Service", "autotask-mcp");
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports[0].targetPort).toBe("http");
    const pdb = find("PodDisruptionBudget", "autotask-mcp");
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
    expect(pdb.spec.maxUnavailable).toBeLessThan(deployment.spec.replicas);
    const hpa = find("HorizontalPodAutoscaler", "autotask-mcp");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "autotask-mcp" });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    const redis = find("Deployment", "autotask-mcp-redis");
    expect(find("Service", "autotask-mcp-redis").spec.selector).toEqual(redis.spec.template.metadata.labels);
  });
});
