/**
 * The Lua scripts the Redis coordinator runs: each is one atomic step, so replicas never interleave
 * inside a check-then-set. Times come from the Redis server (TIME), never from a replica's clock.
 *
 * Semaphore (the thread limit): per key, a sorted set of holders scored by lease expiry, a sorted
 * set of waiters scored by order (priority, then arrival) and one of waiter expiries. Whoever
 * changes the holders (acquire, release, cancel, poll) first drops expired leases and waiters and
 * hands free slots to the first waiters, publishing each grant on the waiter's replica channel —
 * so a slot goes straight from the releasing replica to the next in line, and a crashed replica's
 * leases and places in line lapse on their own.
 */
import { createHash } from "node:crypto";

export interface Script {
  source: string;
  sha: string;
}

function script(body: string): Script {
  const source = `${COMMON}\n${body}`;
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

const COMMON = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Drops lapsed holders and waiters, then grants free slots to the first waiters (not to 'self',
-- which learns from the script's answer) and publishes each grant on the waiter's replica channel.
-- Returns the ids granted.
local function grant(h, w, we, limit, lease, prefix, now, self)
  local granted = {}
  redis.call('ZREMRANGEBYSCORE', h, '-inf', now)
  local lapsed = redis.call('ZRANGEBYSCORE', we, '-inf', now)
  for _, id in ipairs(lapsed) do redis.call('ZREM', w, id) end
  if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', we, '-inf', now) end
  while redis.call('ZCARD', h) < limit do
    local first = redis.call('ZRANGE', w, 0, 0)[1]
    if not first then break end
    redis.call('ZREM', w, first)
    redis.call('ZREM', we, first)
    redis.call('ZADD', h, now + lease, first)
    if first ~= self then
      redis.call('PUBLISH', prefix .. 'grant:' .. string.match(first, '^([^.]+)'), first)
      granted[#granted + 1] = first
    end
  end
  return granted
end

local function keep(keys, ttl)
  for _, key in ipairs(keys) do redis.call('PEXPIRE', key, ttl) end
end
`;

/**
 * KEYS: holders, waiters, waiter expiries. ARGV: id, limit, lease ms, priority (0 follow-up, 1 first),
 * wait ttl ms, prefix, key ttl ms. Returns 1 when the slot is taken now, 0 when waiting in line.
 */
export const ACQUIRE = script(`
local now = now_ms()
local id = ARGV[1]
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) * 1e13 + now, id)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), id)
grant(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[6], now, id)
keep(KEYS, tonumber(ARGV[7]))
if redis.call('ZSCORE', KEYS[1], id) then return 1 end
return 0
`);

/**
 * Gives up a slot or a place in line, whichever `id` has, and passes free slots on.
 * KEYS: holders, waiters, waiter expiries. ARGV: id, limit, lease ms, prefix, key ttl ms.
 * Returns the ids granted now (the releasing replica serves its own at once, not by message).
 */
export const RELEASE = script(`
local now = now_ms()
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
local granted = grant(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], now, '')
keep(KEYS, tonumber(ARGV[5]))
return granted
`);

/**
 * A waiter's check, every tick: also the sweep that passes on a crashed replica's lapsed slots.
 * KEYS: holders, waiters, waiter expiries. ARGV: id, limit, lease ms, wait ttl ms, prefix, key ttl ms.
 * Returns 1 when `id` holds a slot, 0 while it waits (its place renewed), -1 when it is in neither.
 */
export const POLL = script(`
local now = now_ms()
local id = ARGV[1]
grant(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5], now, '')
if redis.call('ZSCORE', KEYS[1], id) then return 1 end
if redis.call('ZSCORE', KEYS[2], id) then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), id)
  keep(KEYS, tonumber(ARGV[6]))
  return 0
end
return -1
`);

/** Extends a held slot's lease. KEYS: holders, waiters, waiter expiries. ARGV: id, lease ms, key ttl ms. */
export const RENEW = script(`
redis.call('ZADD', KEYS[1], 'XX', now_ms() + tonumber(ARGV[2]), ARGV[1])
keep(KEYS, tonumber(ARGV[3]))
return 1
`);

/** Registers a live replica. KEYS: replicas. ARGV: replica id, ttl ms. Returns the live replicas. */
export const REPLICAS = script(`
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`);

/** Extends a cool-down. KEYS: cool-down. ARGV: until (epoch ms). */
export const COOL_DOWN = script(`
local until_ms = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  local ttl = until_ms - now_ms()
  if ttl > 0 then redis.call('SET', KEYS[1], until_ms, 'PX', ttl) end
end
return 1
`);

/**
 * The failed-login guard (see MemoryCoordinator.admitLogin for the rules).
 * KEYS: verified, rejected, probe, bucket. ARGV: burst, refill ms, probe ttl ms.
 * Returns {1, 0} verified; {1, 1} probe; {0, 1, ms} rejected; {0, 2, ms} limited; {2} wait for the probe.
 */
export const ADMIT = script(`
local burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 1 then return {1, 0} end
local refused = redis.call('PTTL', KEYS[2])
if refused > 0 then return {0, 1, refused} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {2} end
local now = now_ms()
local state = redis.call('HMGET', KEYS[4], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
local earned = math.floor((now - at) / refill)
if earned > 0 then
  tokens = math.min(burst, tokens + earned)
  if tokens == burst then at = now else at = at + earned * refill end
end
if tokens < 1 then return {0, 2, at + refill - now} end
redis.call('HSET', KEYS[4], 'tokens', tokens - 1, 'at', at)
redis.call('PEXPIRE', KEYS[4], burst * refill * 2)
redis.call('SET', KEYS[3], '1', 'PX', tonumber(ARGV[3]))
return {1, 1}
`);

/**
 * KEYS: verified, rejected, probe, bucket. ARGV: outcome, verified ttl ms, rejected ttl ms, burst.
 * Only a 401 keeps the probe's token.
 */
export const SETTLE = script(`
local outcome = ARGV[1]
if outcome == 'verified' then
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[2]))
elseif outcome == 'rejected' then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[3]))
end
if redis.call('DEL', KEYS[3]) == 1 and outcome ~= 'rejected' then
  local tokens = tonumber(redis.call('HGET', KEYS[4], 'tokens'))
  if tokens then redis.call('HSET', KEYS[4], 'tokens', math.min(tonumber(ARGV[4]), tokens + 1)) end
end
return 1
`);

/** A fixed window. KEYS: counter. ARGV: window ms. Returns {hits, ms until the window ends}. */
export const HIT = script(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`);

/** KEYS: reading, sent since. Returns {threshold, timeframe, used, readAt, sent} (nil fields when never read). */
export const USAGE = script(`
local r = redis.call('HMGET', KEYS[1], 'threshold', 'timeframe', 'used', 'readAt')
return {r[1], r[2], r[3], r[4], redis.call('GET', KEYS[2]) or '0'}
`);

/** KEYS: reading, sent since. ARGV: threshold, timeframe, used, readAt, keep ms. */
export const RECORD_USAGE = script(`
redis.call('HSET', KEYS[1], 'threshold', ARGV[1], 'timeframe', ARGV[2], 'used', ARGV[3], 'readAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
redis.call('DEL', KEYS[2])
return 1
`);

/** KEYS: sent since. ARGV: requests, keep ms. */
export const COUNT = script(`
redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`);
