import { z } from 'zod';

/**
 * Result templates: for procedures whose result is a simple certificate or decision, the result
 * document is generated from the dossier's data when the leader approves, then signed.
 */

/** A placeholder an admin may use in a template, e.g. `{{dossier.code}}`. */
export const ResultPlaceholder = z.object({
  key: z.string(),
  label: z.object({ vi: z.string(), en: z.string() }),
});
export type ResultPlaceholder = z.infer<typeof ResultPlaceholder>;

export const ResultTemplateInput = z.object({
  /** E.g. "Giấy chứng nhận đăng ký hộ kinh doanh". */
  title: z.string().trim().min(3).max(300),
  /**
   * Paragraphs separated by blank lines; "- " starts an item; "Label: value" prints the value in
   * bold. `{{placeholders}}` are filled from the dossier.
   */
  body: z.string().trim().min(1).max(20000),
  /** Printed above the signature, e.g. "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC". */
  signerTitle: z.string().trim().min(2).max(200),
  /** Symbol after the number (số, ký hiệu), e.g. "GCN-SKHCN". */
  numberSuffix: z.string().trim().max(50).nullable().optional(),
});
export type ResultTemplateInput = z.infer<typeof ResultTemplateInput>;

export const ResultTemplate = ResultTemplateInput.extend({
  procedureId: z.string(),
  numberSuffix: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ResultTemplate = z.infer<typeof ResultTemplate>;

export const ResultTemplateState = z.object({
  /** Null: results of this procedure are uploaded by the officials. */
  template: ResultTemplate.nullable(),
  placeholders: z.array(ResultPlaceholder),
  history: z.array(ResultTemplate.extend({ changedBy: z.string().nullable() })),
});
export type ResultTemplateState = z.infer<typeof ResultTemplateState>;
