import { useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { useLiveEvents } from '../../app/events';
import { Loading } from '../../app/ui';
import { useDailyReportSettings } from './queries';
import { RollupPage } from './RollupPage';
import { StationReportPage } from './StationReportPage';

/**
 * 每日一报: a user who files for their own reporting unit (a station, by default) gets the day's form;
 * the levels above get the roll-up. Both follow the live events of the reports below.
 */
export default function DailyReportsPage() {
  const { user, can } = useAuth();
  const qc = useQueryClient();
  // A report submitted, returned or edited below (or here): the form and the roll-up refetch.
  useLiveEvents(['daily_report.changed'], () => void qc.invalidateQueries({ queryKey: ['daily-reports'] }));
  const files = can('daily_reports.write') && !!user?.unit;
  const settings = useDailyReportSettings(files);
  if (files && settings.isLoading) return <Loading rows={8} />;
  const unit = user?.unit;
  if (files && unit && (settings.data?.unitKinds ?? ['station']).includes(unit.kind))
    return <StationReportPage unitId={unit.id} unitName={unit.name} />;
  return <RollupPage />;
}
