/**
 * Client addresses as rate limits count them. An IPv6 host usually holds a whole /64 (SLAAC and
 * privacy addresses; providers hand out a /64 or more), so counting full IPv6 addresses would give
 * one client 2^64 budgets: an IPv6 address counts by its /64. IPv4, and IPv4-mapped IPv6
 * (::ffff:203.0.113.7), counts by address.
 */
import ipaddr from "ipaddr.js";

/** `2001:db8:1:2::99` → `2001:db8:1:2::/64`; `::ffff:203.0.113.7` → `203.0.113.7`; anything unparsable as given. */
export function addressKey(address: string): string {
  const bare = address.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return bare.toLowerCase();
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(":")}::/64`;
}
