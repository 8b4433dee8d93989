-- Argo CD health of a DataMoverRestore (one restore run), from its kstatus conditions as the restore
-- kind documents them (Ready, Reconciling, Stalled, like DataMover): Healthy when Ready=True,
-- Degraded when Stalled=True (failed: it never hands out an empty volume as restored), Progressing
-- otherwise.
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
local message = obj.status.message or ""
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Stalled" and c.status == "True" then
    hs.status = "Degraded"
    hs.message = c.message or message
    return hs
  end
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" and c.status == "True" then
    hs.status = "Healthy"
    hs.message = c.message or message
    return hs
  end
end
hs.status = "Progressing"
hs.message = message
return hs
