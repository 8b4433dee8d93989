-- Argo CD health of a DataMover (one backup run): Healthy once Completed, Degraded when Failed
-- (Stalled=True), Progressing while it runs or waits (also in phase Pending, waiting for a mover slot).
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the DataMover operator"
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see generation " .. obj.metadata.generation
  return hs
end
local function condition(kind)
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end
local message = obj.status.message or ""
local stalled = condition("Stalled")
if obj.status.phase == "Failed" or (stalled ~= nil and stalled.status == "True") then
  hs.status = "Degraded"
  hs.message = message
  return hs
end
local ready = condition("Ready")
if obj.status.phase == "Completed" and ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message
  return hs
end
hs.status = "Progressing"
hs.message = message
return hs
