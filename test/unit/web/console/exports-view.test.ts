import { describe, expect, it } from 'vitest';
import {
  anyInProgress,
  exportFileName,
  isInProgress,
  shortExportId,
} from '../../../../web/src/lib/console/exports-view.ts';

/** The exports page's view of `ExportView`: file names, short ids, when to keep reading the list. */

describe('exports view', () => {
  it('names the files as the export writes them', () => {
    expect(exportFileName('DE')).toBe('DE.xml');
    expect(exportFileName('EL')).toBe('EL.xml');
    expect(exportFileName('manifest')).toBe('manifest.json');
    expect(exportFileName('emails')).toBe('emails.csv');
  });

  it('tells two exports of one day apart by the random part of their ids', () => {
    expect(shortExportId('20261202T090000123Z-3f9a1c2b7d4e5f60')).toBe('3f9a1c2b');
    expect(shortExportId('20261202T090000456Z-0011223344556677')).toBe('00112233');
    expect(shortExportId('e1')).toBe('e1');
  });

  it('keeps reading while an export is approved or running', () => {
    expect(
      ['requested', 'approved', 'running', 'done', 'failed'].map((s) => isInProgress(s as never)),
    ).toEqual([false, true, true, false, false]);
    expect(anyInProgress([{ state: 'done' }, { state: 'requested' }])).toBe(false);
    expect(anyInProgress([{ state: 'done' }, { state: 'running' }])).toBe(true);
    expect(anyInProgress([])).toBe(false);
  });
});
