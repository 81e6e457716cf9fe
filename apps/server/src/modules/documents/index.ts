/**
 * Documents (giấy tờ): printable A4 PDFs of the one-stop forms 01–07 of Circular
 * 01/2018/TT-VPCP. Pure functions: data in, PDF bytes out; no database, no network. Text is
 * set in Tinos (metric-compatible with Times New Roman) embedded as a subset.
 */
export { renderReceiptSlip } from './receipt-slip.ts';
export { renderApology, renderRefusal, renderStopNotice, renderSupplementRequest } from './notices.ts';
export { renderProcessControlSlip } from './process-control-slip.ts';
export { renderRegister } from './register.ts';
export { renderResultDocument, type ResultDocumentData } from './result-document.ts';
export { formatDate, formatDateLine, formatDateTime, formatDateTimeLong, formatTime, formatVnd } from './format.ts';
export { COMPONENT_FORM_LABELS, REGISTER_STATUS_LABELS, STEP_RESULT_LABELS } from './labels.ts';
export type * from './types.ts';
export { finishDocument, startDocument } from './common.ts';
export { A4_LANDSCAPE, PT_PER_MM, upper, type Column, type Margins, type Rich, type Writer } from './layout.ts';
// The faces and the layout engine, for other modules that draw on PDFs (the visible signature).
export { embedFonts, type FontSet } from './fonts.ts';
export { Writer as LayoutWriter } from './layout.ts';
