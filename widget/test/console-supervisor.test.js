// The supervisor view's numbers (src/console/supervisor.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { overview, formatDuration, secondsSince, supervisesRole } from '../src/console/supervisor.js';

const NOW = Date.parse('2026-11-22T10:10:00Z');

test('supervisors and admins supervise; agents do not', () => {
  assert.equal(supervisesRole('supervisor'), true);
  assert.equal(supervisesRole('admin'), true);
  assert.equal(supervisesRole('agent'), false);
  assert.equal(supervisesRole(undefined), false);
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(45), '0:45');
  assert.equal(formatDuration(185), '3:05');
  assert.equal(formatDuration(3720), '1:02:00');
  assert.equal(formatDuration(-3), '0:00');
  assert.equal(secondsSince('2026-11-22T10:09:30Z', NOW), 30);
  assert.equal(secondsSince('2026-11-22T10:11:00Z', NOW), 0, 'a clock ahead of ours is no negative wait');
  assert.equal(secondsSince(null, NOW), 0);
});

test('the queue in its order with waiting times, the longest wait and the agents totals', () => {
  const convs = [
    { id: 'a', state: 'queued', queuePosition: 2, waitingSince: '2026-11-22T10:08:00Z', visitor: { name: '방문자 1' } },
    { id: 'b', state: 'queued', queuePosition: 1, waitingSince: '2026-11-22T10:09:00Z', urgent: true, visitor: { name: '방문자 2' } },
    { id: 'c', state: 'assigned', waitingSince: '2026-11-22T09:00:00Z' },
  ];
  const agents = [
    { id: 'x', status: 'online', load: 2, cap: 3 }, { id: 'y', status: 'online', load: 3, cap: 3 },
    { id: 'z', status: 'away', load: 0, cap: 3 }, { id: 'w', status: 'offline' },
  ];
  const o = overview(convs, agents, NOW);
  assert.equal(o.queueLength, 2);
  assert.deepEqual(o.waiting.map((w) => [w.id, w.position, w.seconds, w.urgent]), [['b', 1, 60, true], ['a', 2, 120, false]]);
  assert.equal(o.longestWait, 120);
  assert.deepEqual(o.agents, { online: 2, away: 1, offline: 1, load: 5, cap: 6 });
  assert.deepEqual(overview([], [], NOW), { queueLength: 0, longestWait: 0, waiting: [], agents: { online: 0, away: 0, offline: 0, load: 0, cap: 0 } });
});
