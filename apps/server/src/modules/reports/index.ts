/**
 * Reports (báo cáo): dossier statistics, the Decision 766 service-quality index, the leaders'
 * dashboard and exports, from facts kept up to date as dossiers change. See README.md for the
 * formulas and their sources.
 */
export { reportsRoutes } from './reports.routes.ts';
export { ReportsService } from './reports.service.ts';
export { markAllDirty, pendingChanges, rebuildFacts, refreshReportFacts, scheduleReportRefresh } from './facts.ts';
export { extractReportRow, type ReportRow } from './extract.ts';
export { INDEX_COMPONENTS, INDEX_GROUPS } from './index-spec.ts';
