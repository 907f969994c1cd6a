-- Numbers stay decimal text throughout: Lua 5.1 numbers are doubles, exact only to 2^53.
local function less(a, b)
  local na, nb = string.sub(a, 1, 1) == '-', string.sub(b, 1, 1) == '-'
  if na ~= nb then return na end
  if #a ~= #b then return (#a < #b) ~= na end
  return a ~= b and ((a < b) ~= na)
end
local current = redis.call('GET', KEYS[1])
if current and not (#current <= 20 and (current == '0'
    or string.find(current, '^%-?[1-9]%d*$'))) then
  return 'N'
end
local added = redis.pcall('INCRBY', KEYS[1], ARGV[1])
if type(added) == 'table' and added.err then
  if string.find(added.err, 'overflow') then return 'O' .. current end
  return 'N'
end
local value = redis.call('GET', KEYS[1])
if (ARGV[2] ~= '' and less(value, ARGV[2])) or (ARGV[3] ~= '' and less(ARGV[3], value)) then
  -- Undone in the same script: no client ever sees the refused value.
  if current then redis.call('SET', KEYS[1], current, 'KEEPTTL')
  else redis.call('DEL', KEYS[1]) end
  return 'R' .. (current or '0')
end
if not current then
  local mode = ARGV[4]
  if mode == 'P' then redis.call('PEXPIRE', KEYS[1], ARGV[5])
  elseif mode == 'A' then redis.call('PEXPIREAT', KEYS[1], ARGV[5]) end
end
local index, member = KEYS[2], ARGV[6]
if index then
  redis.call('ZADD', index, 0, member)
  fence(ARGV[7], {member})
end
return 'A' .. value
