-- Orleans grain state (IGrainStorage: SqliteGrainStorage, the "billing" storage), one row per
-- service, state name and grain. service_id is ClusterOptions.ServiceId: services sharing one
-- file never see each other's state. The row outlives a clear (payload NULL) so its version keeps
-- growing and a stale ETag can never write over state cleared after it was read.
CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id     TEXT    NOT NULL,
    grain_type     TEXT    NOT NULL,  -- the provider's grainType argument: the persistent state's name
    grain_id       TEXT    NOT NULL,  -- GrainId.ToString(): the grain's type and key
    payload        BLOB    NULL,      -- IGrainStorageSerializer output; NULL = cleared
    version        INTEGER NOT NULL CHECK (version > 0), -- the ETag: 1 on insert, +1 per write or clear
    modified_at_ms INTEGER NOT NULL,  -- Unix milliseconds, UTC: for operators, never read by the silo
    PRIMARY KEY (service_id, grain_type, grain_id)
) WITHOUT ROWID;
