// The API's config from the environment: the BI thread's priority (EIOR_BI_PRIORITY) and its wait for API requests
// (EIOR_BI_YIELD_MS), the priority worker of `eior serve --workers N` (EIOR_API_PRIORITY_WORKER), their defaults and bad
// values.
import { ConfigError, loadApiConfig } from '../../../apps/api/src/config';

describe('loadApiConfig: EIOR_BI_PRIORITY', () => {
  it('is idle unless set, and takes low and normal', () => {
    expect(loadApiConfig('/tmp/eior-state', {}).bi.threadPriority).toBe('idle');
    expect(loadApiConfig('/tmp/eior-state', { EIOR_BI_PRIORITY: '' }).bi.threadPriority).toBe('idle');
    expect(loadApiConfig('/tmp/eior-state', { EIOR_BI_PRIORITY: 'low' }).bi.threadPriority).toBe('low');
    expect(loadApiConfig('/tmp/eior-state', { EIOR_BI_PRIORITY: 'normal' }).bi.threadPriority).toBe('normal');
  });

  it('refuses another value, naming it and the three allowed', () => {
    const load = () => loadApiConfig('/tmp/eior-state', { EIOR_BI_PRIORITY: 'nice19' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('EIOR_BI_PRIORITY="nice19" is invalid: expected one of idle, low, normal');
  });
});

describe('loadApiConfig: EIOR_BI_YIELD_MS', () => {
  it('is 1000 ms unless set, and 0 turns the waits off', () => {
    expect(loadApiConfig('/tmp/eior-state', {}).bi.yieldMs).toBe(1000);
    expect(loadApiConfig('/tmp/eior-state', { EIOR_BI_YIELD_MS: '0' }).bi.yieldMs).toBe(0);
    expect(loadApiConfig('/tmp/eior-state', { EIOR_BI_YIELD_MS: '250' }).bi.yieldMs).toBe(250);
  });

  it('refuses a value that is not a whole number of ms up to a minute, naming it', () => {
    expect(() => loadApiConfig('/tmp/eior-state', { EIOR_BI_YIELD_MS: '1s' })).toThrow('EIOR_BI_YIELD_MS="1s" is invalid: expected an integer from 0 to 60000');
    expect(() => loadApiConfig('/tmp/eior-state', { EIOR_BI_YIELD_MS: '-1' })).toThrow(ConfigError);
  });
});

describe('loadApiConfig: EIOR_API_PRIORITY_WORKER', () => {
  it('is on unless set to off', () => {
    expect(loadApiConfig('/tmp/eior-state', {}).priorityWorker).toBe(true);
    expect(loadApiConfig('/tmp/eior-state', { EIOR_API_PRIORITY_WORKER: 'on' }).priorityWorker).toBe(true);
    expect(loadApiConfig('/tmp/eior-state', { EIOR_API_PRIORITY_WORKER: 'off' }).priorityWorker).toBe(false);
  });

  it('refuses another value, naming it and the two allowed', () => {
    expect(() => loadApiConfig('/tmp/eior-state', { EIOR_API_PRIORITY_WORKER: 'yes' })).toThrow('EIOR_API_PRIORITY_WORKER="yes" is invalid: expected one of on, off');
  });
});
