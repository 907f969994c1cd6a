local function each(command, key, items)
  for i = 1, #items, 1000 do
    redis.call(command, key, unpack(items, i, math.min(i + 999, #items)))
  end
end
local function sweep(index, position, prefix, budget)
  local from = redis.call('GET', position)
  local batch = redis.call('ZRANGEBYLEX', index, from and ('(' .. from) or '-', '+',
    'LIMIT', 0, budget)
  local dead = {}
  for _, member in ipairs(batch) do
    if redis.call('EXISTS', prefix .. member) == 0 then dead[#dead + 1] = member end
  end
  each('ZREM', index, dead)
  if #batch < budget then
    redis.call('DEL', position)
  else
    redis.call('SET', position, batch[#batch])
  end
end
local function fence(prefix, names)
  local tag = string.sub(prefix, 1, -2)
  if redis.call('EXISTS', tag .. '/migrating') == 1 then
    for _, name in ipairs(names) do
      redis.call('SET', tag .. '/fence:' .. name, '1', 'PX', FENCE_MILLIS)
    end
  end
end
