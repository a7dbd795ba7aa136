// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Drives the esemulator with an engine's official JavaScript client: every
// request the provider sends (internal/elasticsearch/client.go and
// internal/opensearch/client.go) through the client's own method, and the
// answers checked as the client gives them back.
//
//   node driver.js --engine elasticsearch-8 [--client es7-compat] \
//     --url http://127.0.0.1:PORT --repository backups \
//     --index-prefix optimize --optimize-version 8.10.0
//
// The emulator must have been started with -seed-optimize (that version and
// prefix) and -repository. Prints one line per step and "N passed, N failed,
// N skipped"; exits 1 when a step failed or was skipped, 2 on wrong
// arguments.
'use strict';

const assert = require('node:assert/strict');
const { parseArgs } = require('node:util');

// The engines the emulator answers as, and the client each is driven with
// by default.
const ENGINES = {
  'elasticsearch-7.17': { version: /^7\.17\.\d+$/, client: 'es7' },
  'elasticsearch-8': { version: /^8\.\d+\.\d+$/, client: 'es8' },
  'opensearch-2': { version: /^2\.\d+\.\d+$/, client: 'os2' },
};
// The clients, under their aliases in package.json. es7-compat is the 7.17
// client in REST API compatibility mode (ELASTIC_CLIENT_APIVERSIONING=true:
// compatible-with=7 media types), as the provider's go-elasticsearch 7.x
// talks to Elasticsearch 8.
const CLIENTS = {
  es7: { pkg: 'es7', name: '@elastic/elasticsearch' },
  'es7-compat': { pkg: 'es7', name: '@elastic/elasticsearch', compat: '7' },
  es8: { pkg: 'es8', name: '@elastic/elasticsearch' },
  os2: { pkg: 'os2', name: '@opensearch-project/opensearch' },
};

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string' },
    client: { type: 'string' },
    url: { type: 'string' },
    repository: { type: 'string', default: 'backups' },
    'index-prefix': { type: 'string', default: 'optimize' },
    'optimize-version': { type: 'string', default: '8.10.0' },
  },
});
const engine = args.engine;
const clientName = args.client || (ENGINES[engine] && ENGINES[engine].client);
if (!ENGINES[engine] || !CLIENTS[clientName] || !args.url) {
  console.error(`usage: node driver.js --engine ${Object.keys(ENGINES).join('|')} [--client ${Object.keys(CLIENTS).join('|')}] --url URL [--repository R] [--index-prefix P] [--optimize-version V]`);
  process.exit(2);
}
const spec = { ...CLIENTS[clientName], version: ENGINES[engine].version };
const isES = engine.startsWith('elasticsearch');
const client8 = spec.pkg === 'es8'; // the 8.x client's method signatures
// An older major the client asks answers of (compatible-with=7), or ''. The
// 8.x client's compatible-with=8 is the current major: answered as without.
const compat = spec.compat || '';
// Elasticsearch writes _type "_doc" in 7.17, and in 8 for compatible-with=7.
const docType = engine === 'elasticsearch-7.17' || compat === '7';
const repository = args.repository;
const prefix = args['index-prefix'];
const optimizeVersion = args['optimize-version'];
// Not require('<pkg>/package.json'): the packages' exports maps hide it.
const clientVersion = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, 'node_modules', spec.pkg, 'package.json'), 'utf8')).version;
if (spec.compat) process.env.ELASTIC_CLIENT_APIVERSIONING = 'true';
const { Client, errors } = require(spec.pkg);

// No retries and no sniffing: the first answer is the one checked.
const client = new Client({ node: args.url, maxRetries: 0, requestTimeout: 30000 });

// call sends one request through the client's method (e.g. 'snapshot.create')
// and returns { status, body, headers, warnings } as the client gives them
// back. The 8.x client returns the body alone unless asked for meta.
async function call(method, params, options = {}) {
  const [ns, fn] = method.includes('.') ? method.split('.') : [null, method];
  const target = ns ? client[ns] : client;
  const opts = client8 ? { ...options, meta: true } : options;
  const r = await target[fn](params, opts);
  // A Warning header (a deprecation) is shown, not counted as a failure;
  // none is expected for these requests.
  for (const w of r.warnings || []) console.log(`# warning on ${method}: ${w}`);
  return { status: r.statusCode, body: r.body, headers: r.headers || {}, warnings: r.warnings };
}

// withBody puts a request body where the client takes it: the 8.x client
// takes the body's keys as parameters of the method, 7.x and OpenSearch's
// client a body parameter.
function withBody(params, body) {
  return client8 ? { ...params, ...body } : { ...params, body };
}

// expectError sends a request that must fail and returns the client's
// ResponseError after checking its status and error type.
async function expectError(method, params, status, type) {
  let err;
  try {
    const r = await call(method, params);
    throw new assert.AssertionError({ message: `${method} answered ${r.status} ${JSON.stringify(r.body)}; expected ${status} ${type || ''}` });
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.ok(err instanceof errors.ResponseError, `${method}: expected the client's ResponseError, got ${err && err.name}: ${err && err.message}`);
  assert.equal(err.meta.statusCode, status, `${method}: status of ${JSON.stringify(err.meta.body)}`);
  if (type) {
    assert.equal(typeof err.meta.body, 'object', `${method}: error body is not JSON: ${err.meta.body}`);
    assert.equal(err.meta.body.error && err.meta.body.error.type, type, `${method}: error type of ${JSON.stringify(err.meta.body)}`);
    assert.equal(err.meta.body.status, status, `${method}: "status" of ${JSON.stringify(err.meta.body)}`);
  }
  return err;
}

function ok200(r, what) {
  assert.equal(r.status, 200, `${what}: status ${r.status}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', `${what}: the client did not parse the answer as JSON (content-type ${r.headers['content-type']}): ${String(r.body).slice(0, 200)}`);
  assert.ok(r.body !== null, `${what}: empty body`);
}

// The repository of snapshot.getRepository: the 8.x client calls that path
// part name, 7.x and OpenSearch's client repository.
function repositoryParam(name) {
  return client8 ? { name } : { repository: name };
}

function sorted(list) {
  return [...list].sort();
}

const isInt = (v) => Number.isInteger(v);

// ---------------------------------------------------------------------------

// Each step sends its requests and checks the answers. A step that needs
// what an earlier one established (`needs`: the names it `gives`) is skipped
// when that one failed, so that one divergence is reported once, not again
// by every step after it.
const results = { passed: 0, failed: 0, skipped: 0 };
const established = new Set();
let counter = 0;
async function step(name, { needs = [], gives } = {}, fn) {
  counter++;
  const missing = needs.filter((n) => !established.has(n));
  if (missing.length) {
    results.skipped++;
    console.log(`ok ${counter} - ${name} # SKIP: needs ${missing.join(', ')}, which failed`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.passed++;
    if (gives) established.add(gives);
    console.log(`ok ${counter} - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.failed++;
    console.log(`not ok ${counter} - ${name}`);
    const detail = e instanceof errors.ResponseError
      ? `${e.name}: ${e.meta.statusCode} ${JSON.stringify(e.meta.body)}`
      : `${e.name}: ${e.message}`;
    console.log(detail.split('\n').map((l) => `    ${l}`).join('\n'));
  }
}

const id = String(Date.now());
const snap1 = `camunda_optimize_${id}_${optimizeVersion}_part_1_of_2`;
const snap2 = `camunda_optimize_${id}_${optimizeVersion}_part_2_of_2`;
const metadataIndex = `${prefix}-metadata`;
const indexPattern = `${prefix.split('-')[0]}-*`;
const metadataFor = (part) => ({ taken_by: 'terraform-provider-optimize', optimize_version: optimizeVersion, create_token: `conformance-${id}-${part}` });
let installation = []; // the seeded installation's index names
let part1 = [];
let part2 = [];
let metadataDoc;

function checkSnapshotInfo(s, name, indices, metadata, what) {
  assert.equal(s.snapshot, name, `${what}: snapshot`);
  assert.equal(typeof s.uuid, 'string', `${what}: uuid`);
  assert.match(String(s.version), spec.version, `${what}: version`);
  assert.ok(isInt(s.version_id), `${what}: version_id ${s.version_id}`);
  assert.deepEqual(sorted(s.indices), sorted(indices), `${what}: indices`);
  assert.equal(s.include_global_state, false, `${what}: include_global_state`);
  assert.deepEqual(s.metadata, metadata, `${what}: metadata`);
  assert.ok(Array.isArray(s.data_streams), `${what}: data_streams`);
  assert.ok(['SUCCESS', 'IN_PROGRESS'].includes(s.state), `${what}: state ${s.state}`);
  assert.equal(typeof s.start_time, 'string', `${what}: start_time`);
  assert.ok(isInt(s.start_time_in_millis) && s.start_time_in_millis > 0, `${what}: start_time_in_millis`);
  assert.ok(Array.isArray(s.failures), `${what}: failures`);
  assert.deepEqual(s.failures, [], `${what}: failures`);
  if (s.state === 'SUCCESS') {
    assert.equal(typeof s.end_time, 'string', `${what}: end_time`);
    assert.ok(isInt(s.end_time_in_millis) && s.end_time_in_millis >= s.start_time_in_millis, `${what}: end_time_in_millis`);
    assert.equal(s.duration_in_millis, s.end_time_in_millis - s.start_time_in_millis, `${what}: duration_in_millis`);
    assert.ok(s.shards.total > 0, `${what}: shards.total`);
    assert.equal(s.shards.failed, 0, `${what}: shards.failed`);
    assert.equal(s.shards.successful, s.shards.total, `${what}: shards.successful`);
  }
}

async function listIndices(pattern) {
  const r = await call('cat.indices', { index: pattern, format: 'json', h: 'index' });
  ok200(r, 'cat.indices');
  assert.ok(Array.isArray(r.body), `cat.indices: not an array: ${JSON.stringify(r.body)}`);
  for (const row of r.body) {
    assert.deepEqual(Object.keys(row), ['index'], `cat.indices?h=index: row ${JSON.stringify(row)}`);
    assert.equal(typeof row.index, 'string');
  }
  return r.body.map((row) => row.index);
}

async function main() {
  console.log(`# ${spec.name} ${clientVersion}${spec.compat ? ` in compatibility mode (compatible-with=${spec.compat})` : ''} against the ${engine} emulator at ${args.url}`);

  await step('info (GET /)', {}, async () => {
    const r = await call('info', {});
    ok200(r, 'info');
    const b = r.body;
    assert.match(b.version.number, spec.version, 'version.number');
    for (const k of ['name', 'cluster_name', 'cluster_uuid', 'tagline']) assert.equal(typeof b[k], 'string', k);
    assert.equal(typeof b.version.lucene_version, 'string', 'version.lucene_version');
    assert.equal(typeof b.version.minimum_wire_compatibility_version, 'string');
    assert.equal(typeof b.version.minimum_index_compatibility_version, 'string');
    if (isES) {
      assert.equal(b.version.build_flavor, 'default', 'version.build_flavor');
      assert.equal(b.tagline, 'You Know, for Search');
      assert.equal(r.headers['x-elastic-product'], 'Elasticsearch', 'X-Elastic-Product header');
    } else {
      assert.equal(b.version.distribution, 'opensearch', 'version.distribution');
      assert.equal(b.tagline, 'The OpenSearch Project: https://opensearch.org/');
      assert.equal(r.headers['x-elastic-product'], undefined, 'OpenSearch sends no X-Elastic-Product header');
    }
    if (client8) {
      // Without meta the 8.x client gives back the body itself.
      const plain = await client.info();
      assert.equal(plain.version.number, b.version.number, 'info() without meta');
    }
  });

  await step(`snapshot.getRepository ${repository} (GET /_snapshot/${repository})`, {}, async () => {
    const r = await call('snapshot.getRepository', repositoryParam(repository));
    ok200(r, 'snapshot.getRepository');
    assert.deepEqual(Object.keys(r.body), [repository]);
    assert.equal(r.body[repository].type, 'fs');
    assert.equal(typeof r.body[repository].settings.location, 'string', 'settings.location');
  });

  await step('snapshot.getRepository of a missing repository: 404 repository_missing_exception', {}, async () => {
    const e = await expectError('snapshot.getRepository', repositoryParam('no-such-repository'), 404, 'repository_missing_exception');
    assert.equal(e.meta.body.error.reason, '[no-such-repository] missing');
  });

  await step(`cat.indices ${indexPattern} (GET /_cat/indices/${indexPattern}?format=json&h=index)`, { gives: 'the index list' }, async () => {
    installation = await listIndices(indexPattern);
    assert.ok(installation.length >= 10, `only ${installation.length} indices: ${installation}`);
    for (const n of installation) assert.ok(n.startsWith(`${prefix}-`), `index ${n} outside ${indexPattern}`);
    assert.ok(installation.some((n) => new RegExp(`^${prefix}-metadata_v\\d+$`).test(n)), `no metadata index among ${installation}`);
    part1 = installation.filter((n) => n.includes('import'));
    part2 = installation.filter((n) => !n.includes('import'));
    assert.ok(part1.length > 0 && part2.length > 0, `import indices ${part1}, others ${part2}`);
  });

  await step('cat.indices of a pattern matching nothing: []', {}, async () => {
    assert.deepEqual(await listIndices('nothing-matches-*'), []);
  });

  await step(`get ${metadataIndex}/_doc/1 (the metadata document, through its alias)`, { gives: 'the metadata document' }, async () => {
    const r = await call('get', { index: metadataIndex, id: '1' });
    ok200(r, 'get');
    const b = r.body;
    assert.equal(b.found, true, 'found');
    assert.match(b._index, new RegExp(`^${prefix}-metadata_v\\d+$`), '_index is the concrete index');
    assert.equal(b._id, '1');
    if (docType) assert.equal(b._type, '_doc', '_type');
    else assert.equal('_type' in b, false, `_type in ${JSON.stringify(b)}`);
    assert.ok(isInt(b._version) && isInt(b._seq_no) && isInt(b._primary_term), '_version, _seq_no, _primary_term');
    assert.equal(b._source.schemaVersion, optimizeVersion, '_source.schemaVersion');
    assert.equal(typeof b._source.installationId, 'string', '_source.installationId');
    metadataDoc = b._source;
  });

  await step('get of a missing document: 404 found:false', {}, async () => {
    const e = await expectError('get', { index: metadataIndex, id: 'no-such-document' }, 404);
    const b = e.meta.body;
    assert.equal(b.found, false, `found in ${JSON.stringify(b)}`);
    assert.equal(b._id, 'no-such-document');
    assert.match(b._index, new RegExp(`^${prefix}-metadata_v\\d+$`));
  });

  const createBody = (indices, part) => ({
    indices, ignore_unavailable: false, include_global_state: false, partial: false, metadata: metadataFor(part),
  });

  await step(`snapshot.create ${snap1} with wait_for_completion=true and metadata`, { needs: ['the index list'], gives: 'part 1' }, async () => {
    const r = await call('snapshot.create', withBody({ repository, snapshot: snap1, wait_for_completion: true }, createBody(part1, 1)));
    ok200(r, 'snapshot.create');
    assert.deepEqual(Object.keys(r.body), ['snapshot']);
    checkSnapshotInfo(r.body.snapshot, snap1, part1, metadataFor(1), 'snapshot.create');
    assert.equal(r.body.snapshot.state, 'SUCCESS');
  });

  await step(`snapshot.create ${snap2} with wait_for_completion=false: accepted`, { needs: ['the index list'], gives: 'part 2' }, async () => {
    const r = await call('snapshot.create', withBody({ repository, snapshot: snap2, wait_for_completion: false }, createBody(part2, 2)));
    ok200(r, 'snapshot.create');
    assert.deepEqual(r.body, { accepted: true });
  });

  await step(`snapshot.status ${snap2} while it runs`, { needs: ['part 2'] }, async () => {
    const r = await call('snapshot.status', { repository, snapshot: snap2 });
    ok200(r, 'snapshot.status');
    assert.equal(r.body.snapshots.length, 1);
    const s = r.body.snapshots[0];
    assert.equal(s.snapshot, snap2);
    assert.equal(s.repository, repository);
    assert.equal(typeof s.uuid, 'string');
    assert.ok(['STARTED', 'SUCCESS'].includes(s.state), `state ${s.state}`);
    assert.equal(s.include_global_state, false);
    for (const k of ['initializing', 'started', 'finalizing', 'done', 'failed', 'total']) assert.ok(isInt(s.shards_stats[k]), `shards_stats.${k}`);
    assert.equal(s.shards_stats.failed, 0);
    assert.deepEqual(sorted(Object.keys(s.indices)), sorted(part2), 'indices');
    assert.ok(isInt(s.stats.start_time_in_millis), 'stats.start_time_in_millis');
  });

  await step(`snapshot.get camunda_optimize_${id}_* (ignore_unavailable) until both parts are SUCCESS`, { needs: ['part 1', 'part 2'], gives: 'the backup' }, async () => {
    const deadline = Date.now() + 30000;
    let snaps;
    for (;;) {
      const r = await call('snapshot.get', { repository, snapshot: `camunda_optimize_${id}_*`, ignore_unavailable: true });
      ok200(r, 'snapshot.get');
      assert.ok(Array.isArray(r.body.snapshots), `snapshots in ${JSON.stringify(r.body)}`);
      snaps = r.body.snapshots;
      assert.deepEqual(sorted(snaps.map((s) => s.snapshot)), [snap1, snap2]);
      if (snaps.every((s) => s.state === 'SUCCESS')) {
        if (isES) {
          // Elasticsearch 7.15 and later (the specification's @availability
          // stack since=7.15.0); OpenSearch has neither.
          assert.equal(r.body.total, 2, 'total');
          assert.equal(r.body.remaining, 0, 'remaining');
        }
        break;
      }
      assert.ok(Date.now() < deadline, `still ${snaps.map((s) => s.state)} after 30 s`);
      await new Promise((res) => setTimeout(res, 200));
    }
    for (const s of snaps) {
      const [indices, part] = s.snapshot === snap1 ? [part1, 1] : [part2, 2];
      checkSnapshotInfo(s, s.snapshot, indices, metadataFor(part), `snapshot.get ${s.snapshot}`);
    }
  });

  await step(`snapshot.status ${snap1},${snap2} once done`, { needs: ['the backup'] }, async () => {
    const r = await call('snapshot.status', { repository, snapshot: [snap1, snap2] });
    ok200(r, 'snapshot.status');
    assert.deepEqual(sorted(r.body.snapshots.map((s) => s.snapshot)), [snap1, snap2]);
    for (const s of r.body.snapshots) {
      assert.equal(s.state, 'SUCCESS', `state of ${s.snapshot}`);
      assert.equal(s.shards_stats.done, s.shards_stats.total, `shards_stats of ${s.snapshot}`);
    }
  });

  await step('snapshot.get of a pattern matching nothing, ignore_unavailable: []', {}, async () => {
    const r = await call('snapshot.get', { repository, snapshot: 'camunda_optimize_1_*', ignore_unavailable: true });
    ok200(r, 'snapshot.get');
    assert.deepEqual(r.body.snapshots, []);
  });

  await step('snapshot.restore over the open indices: 500 snapshot_restore_exception', { needs: ['the backup'] }, async () => {
    const e = await expectError('snapshot.restore', withBody({ repository, snapshot: snap1, wait_for_completion: true },
      { indices: part1, ignore_unavailable: false, include_aliases: true, include_global_state: false, partial: false }), 500, 'snapshot_restore_exception');
    assert.match(e.meta.body.error.reason, /because an open index with same name already exists in the cluster/);
  });

  await step('indices.delete of the installation\'s indices in one request', { needs: ['the backup', 'the metadata document'], gives: 'no installation' }, async () => {
    const r = await call('indices.delete', { index: installation });
    ok200(r, 'indices.delete');
    assert.deepEqual(r.body, { acknowledged: true });
    assert.deepEqual(await listIndices(indexPattern), []);
  });

  await step('indices.delete of a missing index: 404 index_not_found_exception', { needs: ['no installation'] }, async () => {
    const e = await expectError('indices.delete', { index: [installation[0]] }, 404, 'index_not_found_exception');
    assert.equal(e.meta.body.error.index, installation[0]);
  });

  await step(`snapshot.restore ${snap1} and ${snap2} with wait_for_completion=true`, { needs: ['no installation'] }, async () => {
    for (const [name, indices] of [[snap1, part1], [snap2, part2]]) {
      const r = await call('snapshot.restore', withBody({ repository, snapshot: name, wait_for_completion: true },
        { indices, ignore_unavailable: false, include_aliases: true, include_global_state: false, partial: false }));
      ok200(r, 'snapshot.restore');
      const s = r.body.snapshot;
      assert.equal(s.snapshot, name);
      assert.deepEqual(sorted(s.indices), sorted(indices), 'indices');
      assert.ok(s.shards.total > 0, 'shards.total');
      assert.equal(s.shards.failed, 0, 'shards.failed');
      assert.equal(s.shards.successful, s.shards.total, 'shards.successful');
    }
    assert.deepEqual(sorted(await listIndices(indexPattern)), sorted(installation), 'the installation is back');
    const r = await call('get', { index: metadataIndex, id: '1' });
    ok200(r, 'get after the restore');
    assert.deepEqual(r.body._source, metadataDoc, 'the metadata document after the restore');
  });

  await step(`snapshot.delete ${snap1},${snap2} in one request`, { needs: ['the backup'], gives: 'no backup' }, async () => {
    const r = await call('snapshot.delete', { repository, snapshot: [snap1, snap2] });
    ok200(r, 'snapshot.delete');
    assert.deepEqual(r.body, { acknowledged: true });
    const after = await call('snapshot.get', { repository, snapshot: `camunda_optimize_${id}_*`, ignore_unavailable: true });
    ok200(after, 'snapshot.get');
    assert.deepEqual(after.body.snapshots, [], 'snapshots left');
  });

  await step('snapshot.delete of a missing snapshot: 404 snapshot_missing_exception', { needs: ['no backup'] }, async () => {
    await expectError('snapshot.delete', { repository, snapshot: [snap1] }, 404, 'snapshot_missing_exception');
  });

  console.log(`${engine}/${clientName}: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  process.exitCode = results.failed || results.skipped ? 1 : 0;
}

main().catch((e) => {
  console.error(`driver error: ${e.stack || e}`);
  process.exitCode = 1;
});
