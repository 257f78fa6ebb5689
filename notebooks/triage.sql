-- Triage of a scan: what diverged, why, and the verified-safe list. Run from the directory holding dataset/.
create or replace view releases as select * from read_parquet('dataset/releases/**/*.parquet', hive_partitioning=true, hive_types_autocast=false);
create or replace view artifacts as select * from read_parquet('dataset/artifacts/**/*.parquet', hive_partitioning=true, hive_types_autocast=false);
create or replace view files as select * from read_parquet('dataset/files/**/*.parquet', hive_partitioning=true, hive_types_autocast=false);
create or replace view signals as select * from read_parquet('dataset/signals/**/*.parquet', hive_partitioning=true, hive_types_autocast=false);
create or replace view scans as select * from read_parquet('dataset/scans/*.parquet');

-- 1. Verdicts per package.
select package, verdict, count(*) as versions from releases group by all order by package, verdict;

-- 2. The evidence behind every HIGH_RISK version.
select version, artifact, artifact_path, status, risk_flags, detail from files where high_risk order by version, artifact;

-- 3. Versions without a tag (the usual shape of an account takeover), and what they were compared with;
--    repository_older: the repository has no commit as recent as the release (its commit may be missing).
select package, version, verdict, ref_method, commit, repository_older, ref_note from releases where tag is null
order by package, version_order;

-- 3b. DIVERGENT versions that need a human: not documentation-only (doc_only_divergence: only README/CHANGELOG-like
--     files differ), in release order.
select package, version, reason, repository_older from releases
where verdict = 'DIVERGENT' and not doc_only_divergence order by package, version_order;

-- 4. Verified safe versions: version, artifact, SHA-256, commit; unverified_files > 0 means part of the artifact
--    (build output, compiled classes) is explained by name only and needs a rebuild to be verified.
select a.version, a.filename, a.sha256, left(a.commit, 12) as commit, a.unverified_files
from artifacts a join releases r using (ecosystem, package, version)
where r.verdict in ('CLEAN', 'EXPLAINED') order by a.uploaded;

-- 5. What changed since earlier runs: moved tags, replaced artifacts, regressions, new execution-relevant files.
select detected_at, package, version, signal, detail from signals order by detected_at desc, package, version;

-- 6. The nightly runs themselves.
select started_at, duration_millis, versions_listed, versions_scanned, versions_error, signals, exit_status
from scans order by started_at desc;
