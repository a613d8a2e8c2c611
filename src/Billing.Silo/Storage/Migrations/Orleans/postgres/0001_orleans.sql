-- =============================================================================
-- 0001_orleans.sql -- PostgreSQL schema + stored queries for the Microsoft Orleans
-- 10.4.2 AdoNet providers (Invariant "Npgsql"):
--   * Microsoft.Orleans.Clustering.AdoNet  (membership table + client gateway list)
--   * Microsoft.Orleans.Reminders.AdoNet   (reminder table)
--   * Microsoft.Orleans.Persistence.AdoNet (grain state storage)
--
-- The providers do not ship SQL: at start-up they run
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and then execute the QueryText of each key as ONE command, binding named
-- parameters (@DeploymentId, @GrainId, ...) and reading result columns by name
-- (Npgsql resolves the lower-case column names case-insensitively).
--
-- Rules for this file (it is run once, as one multi-statement command, inside a
-- transaction): plain DDL/DML only, no psql meta-commands, every statement
-- idempotent (IF NOT EXISTS / CREATE OR REPLACE / ON CONFLICT DO UPDATE).
--
-- Types: DateTime parameters arrive as DbType.DateTime, which Npgsql maps to
-- timestamptz (UTC), so every time column is timestamptz. Version/etag values
-- are int4 parameters. Hash parameters are int4 (uint hashes cast to int).
-- =============================================================================

-- -----------------------------------------------------------------------------
-- Query catalogue read by all three providers.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

-- =============================================================================
-- CLUSTERING (membership)
-- =============================================================================

-- One row per cluster (the provider calls the ClusterId "DeploymentId").
-- "version" is the membership table version: every membership insert/update
-- must name the version it read and bumps it by one (optimistic concurrency).
-- The provider uses this single table version as the etag of every row.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid text        NOT NULL PRIMARY KEY,
    lastupdated  timestamptz NOT NULL DEFAULT now(),
    version      integer     NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port, generation).
-- status is the integer value of Orleans.Runtime.SiloStatus (3 = Active, 6 = Dead).
-- suspecttimes is the provider's own text format: "siloaddress,date|siloaddress,date".
CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid text        NOT NULL
        REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE,
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       integer     NOT NULL,
    proxyport    integer     NULL,
    suspecttimes text        NULL,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (deploymentid, address, port, generation)
);

-- Insert a silo row only if the caller's table version is still current.
-- The version bump and the insert are one unit: if the row already exists the
-- block's exception handler rolls the bump back and reports failure.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_siloname text, p_hostname text, p_status integer, p_proxyport integer,
    p_starttime timestamptz, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    -- Row lock on the version row serialises concurrent writers; a writer that
    -- waited re-checks "version = p_version" against the committed row and loses.
    UPDATE orleansmembershipversiontable
       SET version = version + 1, lastupdated = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;                       -- stale table version (or no version row)
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status,
         proxyport, suspecttimes, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status,
         p_proxyport, NULL, p_starttime, p_iamalivetime);
    RETURN true;
EXCEPTION WHEN unique_violation THEN
    RETURN false;                           -- silo row already present; bump undone
END;
$$;

-- Update a silo row (status, suspicions, liveness) only if the caller's table
-- version is still current; bump the version in the same unit of work.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deploymentid text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspecttimes text, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE orleansmembershipversiontable
       SET version = version + 1, lastupdated = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;                       -- stale table version
    END IF;

    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid AND address = p_address
       AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';  -- undo the version bump
    END IF;
    RETURN true;
EXCEPTION WHEN no_data_found THEN
    RETURN false;                           -- no such silo row
END;
$$;

-- =============================================================================
-- REMINDERS
-- =============================================================================

-- grainhash is GrainId.GetUniformHashCode() cast to int (signed); the ring
-- range queries below compare in that signed space. period is milliseconds.
-- version is the reminder etag, bumped on every upsert.
CREATE TABLE IF NOT EXISTS orleansremindertable
(
    serviceid    text        NOT NULL,
    grainid      text        NOT NULL,
    remindername text        NOT NULL,
    starttime    timestamptz NOT NULL,
    period       bigint      NOT NULL,
    grainhash    integer     NOT NULL,
    version      integer     NOT NULL,
    CONSTRAINT pk_orleansremindertable PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS ix_orleansremindertable_grainhash
    ON orleansremindertable (serviceid, grainhash);

-- =============================================================================
-- GRAIN PERSISTENCE
-- =============================================================================

-- A row is identified by (serviceid, graintypestring, grainidn0, grainidn1,
-- grainidextensionstring); the two hashes are computed by the provider and are
-- used for cheap index lookups. graintypestring is the provider's "grainType"
-- argument, which in Orleans 10 is the persistent-state NAME (e.g. "counter" from
-- [PersistentState("counter", "store")]), not the grain class, and the GrainId's
-- type is not part of the key: two grain types with the same key and the same
-- state name share a row, so give each grain type its own state name.
-- Key shapes as sent by the provider:
--   integer key -> n0 = 0, n1 = key,           extension = key extension or NULL
--   Guid key    -> n0/n1 = the two Guid halves, extension = key extension or NULL
--   string key  -> n0 = n1 = 0,                extension = the whole string key
-- payloadbinary holds IGrainStorageSerializer output (the only payload column
-- 10.4.2 reads or writes); NULL payload = state cleared, row kept for its version.
-- version is the grain state etag (starts at 1, +1 per write/clear).
CREATE TABLE IF NOT EXISTS orleansstorage
(
    serviceid              text        NOT NULL,
    graintypehash          integer     NOT NULL,
    graintypestring        text        NOT NULL,
    grainidhash            integer     NOT NULL,
    grainidn0              bigint      NOT NULL,
    grainidn1              bigint      NOT NULL,
    grainidextensionstring text        NULL,
    payloadbinary          bytea       NULL,
    modifiedon             timestamptz NOT NULL DEFAULT now(),
    version                integer     NOT NULL
);

-- Lookup index used by every persistence query.
CREATE INDEX IF NOT EXISTS ix_orleansstorage_lookup
    ON orleansstorage (serviceid, grainidhash, graintypehash);

-- One row per grain. Two partial indexes because the extension may be NULL
-- (works on any PostgreSQL version, unlike NULLS NOT DISTINCT which needs 15+).
-- WriteToStorageKey's INSERT ... ON CONFLICT DO NOTHING relies on these.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain_ext
    ON orleansstorage (serviceid, graintypehash, grainidhash, grainidn0, grainidn1,
                       graintypestring, grainidextensionstring)
    WHERE grainidextensionstring IS NOT NULL;

CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain_noext
    ON orleansstorage (serviceid, graintypehash, grainidhash, grainidn0, grainidn1,
                       graintypestring)
    WHERE grainidextensionstring IS NULL;

-- =============================================================================
-- STORED QUERIES
-- =============================================================================
INSERT INTO orleansquery (querykey, querytext) VALUES

-- ---------------------------------------------------------------- clustering --

-- InsertMembershipVersionKey: create the cluster's version row (version 0) at
-- silo start if missing; returns one boolean column, true only if it was created.
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid)
    VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted) AS inserted
$q$),

-- MembershipReadRowKey: one silo's row plus the table version, read in one
-- snapshot. Always returns the version row (starttime NULL when the silo has no
-- row) because the provider takes the table version from the first row.
('MembershipReadRowKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname,
       m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId
$q$),

-- MembershipReadAllKey: every silo row of the cluster plus the table version, in
-- one snapshot; a single all-NULL member row when the cluster has no silos yet.
('MembershipReadAllKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname,
       m.status, m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId
$q$),

-- InsertMembershipKey: register a new silo incarnation, guarded by the table
-- version the silo read (@Version); returns one boolean: false = stale or duplicate.
('InsertMembershipKey', $q$
SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation,
                                 @SiloName, @HostName, @Status, @ProxyPort,
                                 @StartTime, @IAmAliveTime, @Version)
$q$),

-- UpdateMembershipKey: change a silo's status / suspicion votes / liveness,
-- guarded by the table version (@Version); returns one boolean: false = stale.
('UpdateMembershipKey', $q$
SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation,
                                 @Status, @SuspectTimes, @IAmAliveTime, @Version)
$q$),

-- UpdateIAmAlivetimeKey: periodic liveness heartbeat; deliberately unversioned
-- (Orleans does not treat heartbeats as table changes).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
   SET iamalivetime = @IAmAliveTime
 WHERE deploymentid = @DeploymentId AND address = @Address
   AND port = @Port AND generation = @Generation
$q$),

-- GatewaysQueryKey: client-side gateway discovery: Active silos (@Status = 3)
-- that expose a gateway port; the client builds gateway URIs from these columns.
('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
$q$),

-- DeleteMembershipTableEntriesKey: drop a whole cluster (version row; silo rows
-- go with it through ON DELETE CASCADE). Used by tests/tooling.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershipversiontable
WHERE deploymentid = @DeploymentId
$q$),

-- CleanupDefunctSiloEntriesKey: bulk fallback of the defunct-silo cleanup: delete
-- Dead (6) rows whose start and last heartbeat are older than the cutoff
-- (@IAmAliveTime). Only used when CleanupDefunctSiloEntryKey is absent.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND status = 6
  AND iamalivetime < @IAmAliveTime
  AND starttime < @IAmAliveTime
$q$),

-- CleanupDefunctSiloEntryKey (optional in 10.4.2, preferred when present): the
-- provider decides eligibility from a snapshot and then deletes one Dead row,
-- only if it still holds exactly the values it saw (no lost concurrent change).
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime
  AND iamalivetime = @IAmAliveTime
  AND suspecttimes IS NOT DISTINCT FROM @SuspectTimes
$q$),

-- ----------------------------------------------------------------- reminders --

-- ReadReminderRowsKey: all reminders of one grain (GetReminders).
('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansremindertable
WHERE serviceid = @ServiceId AND grainid = @GrainId
$q$),

-- ReadRangeRows1Key: reminders owned by a silo's ring range (@BeginHash, @EndHash]
-- when that range does not wrap in signed int order.
('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansremindertable
WHERE serviceid = @ServiceId
  AND grainhash > @BeginHash AND grainhash <= @EndHash
$q$),

-- ReadRangeRows2Key: same for a range that wraps around (begin >= end, which
-- includes the full ring begin = end owned by a single silo).
('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansremindertable
WHERE serviceid = @ServiceId
  AND (grainhash > @BeginHash OR grainhash <= @EndHash)
$q$),

-- ReadReminderRowKey: one named reminder of a grain (GetReminder); 0 or 1 row.
('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansremindertable
WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
$q$),

-- UpsertReminderRowKey: register or re-register a reminder; returns exactly one
-- row with the new etag in column "version" (0 on create, +1 on every update).
('UpsertReminderRowKey', $q$
INSERT INTO orleansremindertable AS r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
   SET starttime = EXCLUDED.starttime,
       period    = EXCLUDED.period,
       grainhash = EXCLUDED.grainhash,
       version   = r.version + 1
RETURNING r.version
$q$),

-- DeleteReminderRowKey: unregister a reminder only if its etag (@Version) still
-- matches; returns one boolean: true if a row was deleted.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleansremindertable
    WHERE serviceid = @ServiceId AND grainid = @GrainId
      AND remindername = @ReminderName AND version = @Version
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM deleted) AS deleted
$q$),

-- DeleteReminderRowsKey: drop every reminder of a service (test/tooling hook).
('DeleteReminderRowsKey', $q$
DELETE FROM orleansremindertable
WHERE serviceid = @ServiceId
$q$),

-- --------------------------------------------------------- grain persistence --

-- ReadFromStorageKey: load one grain's state: 0 rows = never written; a row with
-- NULL payloadbinary = cleared (its version is still the current etag).
('ReadFromStorageKey', $q$
SELECT payloadbinary, version
FROM orleansstorage
WHERE serviceid = @ServiceId
  AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- WriteToStorageKey: ETag-checked write. With an etag (@GrainStateVersion) update
-- only the row still at that version; without one insert a new row at version 1
-- (ON CONFLICT DO NOTHING: someone else created it first). Always returns one
-- row: newgrainstateversion = new etag, or NULL when nothing was written, which
-- the provider turns into InconsistentStateException.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleansstorage
       SET payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version),
inserted AS (
    INSERT INTO orleansstorage
        (serviceid, graintypehash, graintypestring, grainidhash, grainidn0, grainidn1,
         grainidextensionstring, payloadbinary, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
           @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted)) AS newgrainstateversion
$q$),

-- ClearStorageKey: ETag-checked clear (DeleteStateOnClear = false, the default):
-- keep the row but NULL the payload and bump the version, so a stale etag can't
-- resurrect old state. Returns one row: new etag, or NULL = version conflict.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleansstorage
       SET payloadbinary = NULL, version = version + 1, modifiedon = now()
     WHERE serviceid = @ServiceId
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version)
SELECT (SELECT version FROM cleared) AS newgrainstateversion
$q$),

-- DeleteStorageKey: ETag-checked physical delete (used instead of ClearStorageKey
-- when DeleteStateOnClear = true). Returns one row: a non-NULL value different from
-- the old etag on success (the provider then resets the grain's etag to null), NULL
-- on version conflict (InconsistentStateException).
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleansstorage
     WHERE serviceid = @ServiceId
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version)
SELECT (SELECT version + 1 FROM deleted) AS newgrainstateversion
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
