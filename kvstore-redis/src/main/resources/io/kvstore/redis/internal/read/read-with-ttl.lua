local out, slide = {}, ARGV[1]
for i = 1, #KEYS do
  local value
  if slide ~= '' then value = redis.pcall('GETEX', KEYS[i], 'PX', slide)
  else value = redis.pcall('GET', KEYS[i]) end
  if type(value) ~= 'string' then value = false end
  out[#out + 1] = value
  out[#out + 1] = value and redis.call('PTTL', KEYS[i]) or -2
end
return out
