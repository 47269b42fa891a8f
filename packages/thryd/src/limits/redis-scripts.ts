// Lua run atomically by Redis, so no other process can act between the check and the reserve.
// Per limiter, two keys: a hash of counters per bucket (`r<bucket>`, `t<bucket>`) and of
// requests in flight (`fr`, `ft`), and a sorted set of reservations in flight scored by their
// expiry time, whose members are `<tokens>:<id>`. A clock argument is the caller's time in ms,
// or "" to use the server's.
const FUNCTIONS = `
local function clock(arg)
  if arg == '' then
    local time = redis.call('TIME')
    return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return tonumber(arg)
end
-- Integers as '%d': Lua would send -0 as "-0", which HINCRBY refuses.
local function incr(hashKey, field, amount)
  if amount ~= 0 then redis.call('HINCRBY', hashKey, field, string.format('%d', amount)) end
end
-- Frees the reservations in flight whose lifetime ended (their process is gone).
local function sweep(hashKey, flightKey, now)
  local expired = redis.call('ZRANGEBYSCORE', flightKey, '-inf', now)
  if #expired > 0 then
    local tokens = 0
    for _, member in ipairs(expired) do
      tokens = tokens + tonumber(string.match(member, '^([^:]+):'))
    end
    redis.call('ZREMRANGEBYSCORE', flightKey, '-inf', now)
    incr(hashKey, 'fr', -#expired)
    incr(hashKey, 'ft', -tokens)
  end
end
-- Reserves one request and tokens if they fit now. RPM or TPM -1: unlimited.
-- Returns {0, bucket} when reserved, {1, waitMs} when not.
local function reserve(hashKey, flightKey, now, bucketMs, bucketCount, rpm, tpm, tokens, member,
    reservationTtlMs, keyTtlMs)
  sweep(hashKey, flightKey, now)
  local length = bucketCount + 1
  local current = math.floor(now / bucketMs)
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
    redis.call('ZADD', flightKey, now + reservationTtlMs, member)
    incr(hashKey, 'fr', 1)
    incr(hashKey, 'ft', tokens)
    redis.call('PEXPIRE', hashKey, keyTtlMs)
    redis.call('PEXPIRE', flightKey, keyTtlMs)
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
end
`;

/**
 * KEYS: hash, flight. ARGV[1]: clock. ARGV[2]: bucket size in ms. ARGV[3]: buckets per window.
 * ARGV[4]: RPM (-1 unlimited). ARGV[5]: TPM (-1 unlimited). ARGV[6]: tokens. ARGV[7]: member.
 * ARGV[8]: reservation lifetime in ms. ARGV[9]: key lifetime in ms.
 * Returns `{0, bucket}` when reserved, `{1, waitMs}` when not.
 */
export const RESERVE_SCRIPT = `${FUNCTIONS}
return reserve(KEYS[1], KEYS[2], clock(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8]),
  tonumber(ARGV[9]))
`;

/**
 * KEYS: hash and flight key of each limiter, in the order to try them. ARGV[1]: clock.
 * ARGV[2]: tokens. ARGV[3]: member. Then six per limiter: bucket size in ms, buckets per
 * window, RPM, TPM (-1 unlimited), reservation lifetime and key lifetime in ms.
 * Reserves in the first limiter with room: returns `{0, index from 0, bucket}`, or
 * `{1, shortest waitMs}` when none has room.
 */
export const RESERVE_FIRST_SCRIPT = `${FUNCTIONS}
local now = clock(ARGV[1])
local tokens, member = tonumber(ARGV[2]), ARGV[3]
local shortest = -1
for index = 1, #KEYS / 2 do
  local at = 3 + (index - 1) * 6
  local result = reserve(KEYS[2 * index - 1], KEYS[2 * index], now, tonumber(ARGV[at + 1]),
    tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4]), tokens, member,
    tonumber(ARGV[at + 5]), tonumber(ARGV[at + 6]))
  if result[1] == 0 then return {0, index - 1, result[2]} end
  if shortest < 0 or result[2] < shortest then shortest = result[2] end
end
return {1, shortest}
`;

/**
 * KEYS: hash, flight. ARGV[1]: clock. ARGV[2]: bucket size in ms. ARGV[3]: buckets per window.
 * ARGV[4]: "reconcile" or "release". ARGV[5]: member, "" once settled. ARGV[6]: reserved
 * tokens. ARGV[7]: actual tokens. ARGV[8]: bucket of a settled reservation. ARGV[9]: key
 * lifetime in ms. Returns the reservation's bucket afterwards.
 */
export const SETTLE_SCRIPT = `${FUNCTIONS}
local hashKey, flightKey = KEYS[1], KEYS[2]
local now = clock(ARGV[1])
local current = math.floor(now / tonumber(ARGV[2]))
sweep(hashKey, flightKey, now)
local mode, member = ARGV[4], ARGV[5]
local reserved, actual, bucket = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local ttl = tonumber(ARGV[9])
if member ~= '' then
  -- Zero when the reservation already expired: its quota was freed then, not again now.
  if redis.call('ZREM', flightKey, member) == 1 then
    incr(hashKey, 'fr', -1)
    incr(hashKey, 'ft', -reserved)
  end
  if mode == 'release' then return bucket end
  -- Charged at the answer even when expired: the provider counted it all the same.
  incr(hashKey, 'r' .. current, 1)
  incr(hashKey, 't' .. current, actual)
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
  incr(hashKey, 't' .. current, delta)
  redis.call('PEXPIRE', hashKey, ttl)
elseif delta < 0 then
  lower('t' .. bucket, -delta)
end
return bucket
`;
