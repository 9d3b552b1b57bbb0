// The API's config from the environment: the BI thread's priority (EIOR_BI_PRIORITY), its default and a bad value.
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
