-- Argo CD health of a DataMoverSchedule: Degraded when it cannot run (Stalled=True: invalid schedule
-- or time zone, missing Secret or source PVC), when its newest run failed (LastBackupSucceeded=False)
-- or its retention fails (RetentionSucceeded=False); Suspended while spec.suspend is true; Healthy
-- when Ready; Progressing until the operator has seen the current generation.
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
local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message or stalled.reason
  return hs
end
local backup = condition("LastBackupSucceeded")
if backup ~= nil and backup.status == "False" then
  hs.status = "Degraded"
  hs.message = "The last backup failed: " .. (backup.message or "")
  return hs
end
local retention = condition("RetentionSucceeded")
if retention ~= nil and retention.status == "False" then
  hs.status = "Degraded"
  hs.message = "Retention fails: " .. (retention.message or "")
  return hs
end
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: no scheduled runs"
  return hs
end
local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  return hs
end
hs.status = "Progressing"
hs.message = (ready ~= nil and ready.message) or ""
return hs
