local index, prefix, listed = KEYS[1], ARGV[1], ARGV[2]
local min = ARGV[3] ~= '' and ('(' .. ARGV[3]) or ('[' .. listed)
local max = listed ~= '' and ('[' .. listed .. string.char(255)) or '+'
local limit, values, slide, budget = tonumber(ARGV[4]), ARGV[5] == 'V', ARGV[6],
  tonumber(ARGV[7])
local out, dead = {''}, {}
local found, examined, exhausted, last = 0, 0, false, nil
while found < limit and examined < budget do
  local want = math.min(limit - found, budget - examined)
  local batch = redis.call('ZRANGEBYLEX', index, min, max, 'LIMIT', 0, want)
  for _, member in ipairs(batch) do
    local key = prefix .. member
    local live
    if values then
      if slide ~= '' then live = redis.call('GETEX', key, 'PX', slide)
      else live = redis.call('GET', key) end
    else
      live = redis.call('EXISTS', key) == 1
    end
    if live then
      out[#out + 1] = member
      if values then out[#out + 1] = live end
      out[#out + 1] = redis.call('PTTL', key)
      found = found + 1
    else
      dead[#dead + 1] = member
    end
  end
  examined = examined + #batch
  if #batch < want then exhausted = true; break end
  last = batch[#batch]
  min = '(' .. last
end
each('ZREM', index, dead)
if not exhausted and #redis.call('ZRANGEBYLEX', index, min, max, 'LIMIT', 0, 1) > 0 then
  out[1] = last
end
return out
