/**
 * The Lua scripts that keep cluster state consistent: each runs atomically in Redis, so two nodes
 * joining the same user at once still see exactly one first join and one last leave.
 *
 * Every change a node makes is mirrored as an entry in its own `node:{id}:entries` set. An entry is a
 * JSON array that names the keys it touched, so the reaper can undo a dead node's state without
 * rebuilding key names in Lua:
 * - subscription: `["s", subscribersKey, channelIndexKey, channel, socketId]`
 * - presence:     `["p", socketsKey, countsKey, membersKey, socketId, appId, channel]`
 */
export const RedisScript = {
  /** KEYS: subscribers, channelIndex, nodeEntries. ARGV: socketId, channel, entry. → {count, transition} */
  subscribe: `
local added = redis.call('SADD', KEYS[1], ARGV[1])
local count = redis.call('SCARD', KEYS[1])
if added == 1 then
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[2])
end
if added == 1 and count == 1 then return {count, 1} end
return {count, 0}
`,
  /** KEYS: subscribers, channelIndex, nodeEntries. ARGV: socketId, channel, entry. → {count, transition} */
  unsubscribe: `
local removed = redis.call('SREM', KEYS[1], ARGV[1])
local count = redis.call('SCARD', KEYS[1])
redis.call('SREM', KEYS[3], ARGV[3])
if count == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
if removed == 1 and count == 0 then return {count, 1} end
return {count, 0}
`,
  /** KEYS: sockets, counts, members, nodeEntries. ARGV: socketId, userId, memberJson, entry. → {transition, userCount} */
  addMember: `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {0, redis.call('HLEN', KEYS[3])} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[4])
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
  return {1, redis.call('HLEN', KEYS[3])}
end
return {0, redis.call('HLEN', KEYS[3])}
`,
  /** KEYS: sockets, counts, members, nodeEntries. ARGV: socketId, entry. → {transition, userCount, userId?} */
  removeMember: `
redis.call('SREM', KEYS[4], ARGV[2])
local user = redis.call('HGET', KEYS[1], ARGV[1])
if not user then return {0, redis.call('HLEN', KEYS[3])} end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
  redis.call('HDEL', KEYS[2], user)
  redis.call('HDEL', KEYS[3], user)
  return {1, redis.call('HLEN', KEYS[3]), user}
end
return {0, redis.call('HLEN', KEYS[3]), user}
`,
  /** KEYS: nodes. ARGV: nodeId. Stamps the node with Redis time. → 1 when the node was not registered (new, or reaped). */
  heartbeat: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], now, ARGV[1])
`,
  /** KEYS: nodes. ARGV: timeoutMs. → {threshold, staleNodeId...}: nodes whose last heartbeat is older than the timeout. */
  staleNodes: `
local t = redis.call('TIME')
local threshold = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. threshold)
table.insert(stale, 1, tostring(threshold))
return stale
`,
  /**
   * KEYS: nodes, nodeEntries, nodeHttpSessions. ARGV: nodeId, threshold, force ('1' to reap a live node: its own
   * shutdown). Undoes everything the node registered, unless it heartbeat since `threshold`.
   * → {left, vacated}: left is flat {appId, channel, userId, ...} of the users whose last connection this
   * removed; vacated is flat {channelIndexKey, channel, ...} of the channels whose last subscription it removed.
   */
  reapNode: `
if ARGV[3] ~= '1' then
  local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
  if score and tonumber(score) >= tonumber(ARGV[2]) then return {{}, {}} end
end
local left = {}
local vacated = {}
for _, raw in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local ok, e = pcall(cjson.decode, raw)
  if ok and type(e) == 'table' then
    if e[1] == 's' then
      local removed = redis.call('SREM', e[2], e[5])
      if redis.call('SCARD', e[2]) == 0 then
        redis.call('SREM', e[3], e[4])
        if removed == 1 then
          table.insert(vacated, e[3])
          table.insert(vacated, e[4])
        end
      end
    elseif e[1] == 'p' then
      local user = redis.call('HGET', e[2], e[5])
      if user then
        redis.call('HDEL', e[2], e[5])
        if redis.call('HINCRBY', e[3], user, -1) <= 0 then
          redis.call('HDEL', e[3], user)
          redis.call('HDEL', e[4], user)
          table.insert(left, e[6])
          table.insert(left, e[7])
          table.insert(left, user)
        end
      end
    end
  end
end
for _, key in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return {left, vacated}
`,
} as const;

export type RedisScriptName = keyof typeof RedisScript;
