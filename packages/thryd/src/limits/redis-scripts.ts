// Lua run atomically by Redis, so no other process can act between the check and the reserve.
// KEYS[1]: hash of counters per bucket (`r<bucket>`, `t<bucket>`) and of requests in flight
// (`fr`, `ft`). KEYS[2]: sorted set of reservations in flight, scored by their expiry time;
// a member is `<tokens>:<id>`. ARGV[1]: the caller's time in ms, or "" to use the server's.
// ARGV[2]: bucket size in ms. ARGV[3]: buckets per window.
const PRELUDE = `
local hashKey, flightKey = KEYS[1], KEYS[2]
local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local bucketMs = tonumber(ARGV[2])
local length = tonumber(ARGV[3]) + 1
local current = math.floor(now / bucketMs)
-- Integers as '%d': Lua would send -0 as "-0", which HINCRBY refuses.
local function incr(field, amount)
  if amount ~= 0 then redis.call('HINCRBY', hashKey, field, string.format('%d', amount)) end
end
local expired = redis.call('ZRANGEBYSCORE', flightKey, '-inf', now)
if #expired > 0 then
  local tokens = 0
  for _, member in ipairs(expired) do
    tokens = tokens + tonumber(string.match(member, '^([^:]+):'))
  end
  redis.call('ZREMRANGEBYSCORE', flightKey, '-inf', now)
  incr('fr', -#expired)
  incr('ft', -tokens)
end
`;

/**
 * ARGV[4]: RPM (-1 unlimited). ARGV[5]: TPM (-1 unlimited). ARGV[6]: tokens. ARGV[7]: member.
 * ARGV[8]: reservation lifetime in ms. ARGV[9]: key lifetime in ms.
 * Returns `{0, bucket}` when reserved, `{1, waitMs}` when not.
 */
export const RESERVE_SCRIPT = `${PRELUDE}
local rpm, tpm, tokens = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
if rpm < 0 then rpm = math.huge end
if tpm < 0 then tpm = math.huge end
local fields = redis.call('HGETALL', hashKey)
local flightRequests, flightTokens = 0, 0
local requestsAt, tokensAt, stale = {}, {}, {}
local usedRequests, usedTokens = 0, 0
for index = 1, #fields, 2 do
  local name, value = fields[index], tonumber(fields[index + 1])
  if name == 'fr' then
    flightRequests = value
  elseif name == 'ft' then
    flightTokens = value
  else
    local bucket = tonumber(string.sub(name, 2))
    if bucket <= current - length then
      stale[#stale + 1] = name
    elseif bucket <= current then
      if string.sub(name, 1, 1) == 'r' then
        requestsAt[bucket] = value
        usedRequests = usedRequests + value
      else
        tokensAt[bucket] = value
        usedTokens = usedTokens + value
      end
    end
  end
end
if #stale > 0 then redis.call('HDEL', hashKey, unpack(stale)) end
if flightRequests < 0 then flightRequests = 0 end
if flightTokens < 0 then flightTokens = 0 end
local excessRequests = flightRequests + usedRequests + 1 - rpm
local excessTokens = flightTokens + usedTokens + tokens - tpm
if excessRequests <= 0 and excessTokens <= 0 then
  local ttl = tonumber(ARGV[9])
  redis.call('ZADD', flightKey, now + tonumber(ARGV[8]), ARGV[7])
  incr('fr', 1)
  incr('ft', tokens)
  redis.call('PEXPIRE', hashKey, ttl)
  redis.call('PEXPIRE', flightKey, ttl)
  return {0, current}
end
for bucket = current - length + 1, current do
  excessRequests = excessRequests - (requestsAt[bucket] or 0)
  excessTokens = excessTokens - (tokensAt[bucket] or 0)
  if excessRequests <= 0 and excessTokens <= 0 then
    return {1, math.max(1, math.ceil((bucket + length) * bucketMs - now))}
  end
end
local windowMs = bucketMs * (length - 1)
if flightRequests > 0 then return {1, math.ceil(windowMs)} end
return {1, math.ceil(windowMs + bucketMs)}
`;

/**
 * ARGV[4]: "reconcile" or "release". ARGV[5]: member, "" once settled. ARGV[6]: reserved
 * tokens. ARGV[7]: actual tokens. ARGV[8]: bucket of a settled reservation. ARGV[9]: key
 * lifetime in ms. Returns the reservation's bucket afterwards.
 */
export const SETTLE_SCRIPT = `${PRELUDE}
local mode, member = ARGV[4], ARGV[5]
local reserved, actual, bucket = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local ttl = tonumber(ARGV[9])
if member ~= '' then
  -- Zero when the reservation already expired: its quota was freed then, not again now.
  if redis.call('ZREM', flightKey, member) == 1 then
    incr('fr', -1)
    incr('ft', -reserved)
  end
  if mode == 'release' then return bucket end
  -- Charged at the answer even when expired: the provider counted it all the same.
  incr('r' .. current, 1)
  incr('t' .. current, actual)
  redis.call('PEXPIRE', hashKey, ttl)
  redis.call('PEXPIRE', flightKey, ttl)
  return current
end
local function lower(field, amount)
  local value = tonumber(redis.call('HGET', hashKey, field))
  if value then redis.call('HSET', hashKey, field, string.format('%d', math.max(0, value - amount))) end
end
if mode == 'release' then
  lower('r' .. bucket, 1)
  lower('t' .. bucket, reserved)
  return bucket
end
local delta = actual - reserved
if delta > 0 then
  incr('t' .. current, delta)
  redis.call('PEXPIRE', hashKey, ttl)
elseif delta < 0 then
  lower('t' .. bucket, -delta)
end
return bucket
`;
