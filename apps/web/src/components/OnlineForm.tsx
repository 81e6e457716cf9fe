import { forwardRef, useMemo, type MouseEventHandler, type ReactNode } from 'react';
import { Button } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import Form from '@rjsf/antd';
import type Core from '@rjsf/core';
import {
  createErrorHandler, englishStringTranslator, TranslatableString, toErrorSchema, unwrapErrorHandler, validationDataMerge,
  type IconButtonProps, type RJSFSchema, type RJSFValidationError, type TemplatesType, type UiSchema, type ValidatorType,
} from '@rjsf/utils';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { validate, type Schema, type SchemaError } from '../lib/json-schema';

export type FormData = Record<string, unknown>;

/** One error in the interface language, e.g. "Số điện thoại: không đúng định dạng". */
export function schemaErrorMessage(e: SchemaError): string {
  const t = i18next.t.bind(i18next);
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return t('jsonForm.required');
    case 'minLength':
      return t('jsonForm.minLength', { limit: p.limit });
    case 'maxLength':
      return t('jsonForm.maxLength', { limit: p.limit });
    case 'pattern':
      return t('jsonForm.pattern');
    case 'format':
      return t(`jsonForm.format.${String(p.format)}`, { defaultValue: t('jsonForm.pattern') });
    case 'minimum':
    case 'exclusiveMinimum':
      return t('jsonForm.minimum', { limit: p.limit });
    case 'maximum':
    case 'exclusiveMaximum':
      return t('jsonForm.maximum', { limit: p.limit });
    case 'type':
      return t('jsonForm.type');
    case 'enum':
    case 'const':
      return t('jsonForm.enum');
    case 'minItems':
      return t('jsonForm.minItems', { limit: p.limit });
    case 'maxItems':
      return t('jsonForm.maxItems', { limit: p.limit });
    default:
      return t('jsonForm.invalid');
  }
}

function toProperty(path: (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `.${p}` : `.${p}`)).join('');
}

/**
 * rjsf's validator, backed by lib/json-schema.ts (no `eval`, which the Content-Security-Policy
 * forbids and Ajv needs). Messages are in the interface language.
 */
export const localValidator: ValidatorType<FormData, RJSFSchema> = {
  validateFormData(formData, schema, customValidate, transformErrors, uiSchema) {
    let errors: RJSFValidationError[] = validate(schema, formData ?? {}, schema as Schema).map((e) => {
      const message = schemaErrorMessage(e);
      return {
        name: e.keyword,
        property: toProperty(e.path),
        message,
        params: e.params,
        stack: e.title ? `${e.title}: ${message}` : message,
      };
    });
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    const validation = { errors, errorSchema: toErrorSchema<FormData>(errors) };
    if (!customValidate) return validation;
    const handler = customValidate(formData, createErrorHandler<FormData>(formData ?? {}), uiSchema);
    return validationDataMerge(validation, unwrapErrorHandler(handler));
  },
  isValid(schema, formData, rootSchema) {
    return validate(schema, formData, rootSchema as Schema).length === 0;
  },
  rawValidation(schema, formData) {
    return { errors: validate(schema, formData) as never[] };
  },
};

const VI_STRINGS: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: 'Mục',
  [TranslatableString.EmptyArray]: 'Chưa có mục nào. Bấm nút bên dưới để thêm.',
  [TranslatableString.YesLabel]: 'Có',
  [TranslatableString.NoLabel]: 'Không',
  [TranslatableString.CloseLabel]: 'Đóng',
  [TranslatableString.ErrorsLabel]: 'Lỗi',
  [TranslatableString.NewStringDefault]: 'Giá trị mới',
  [TranslatableString.AddButton]: 'Thêm',
  [TranslatableString.AddItemButton]: 'Thêm mục',
  [TranslatableString.CopyButton]: 'Sao chép',
  [TranslatableString.MoveDownButton]: 'Chuyển xuống',
  [TranslatableString.MoveUpButton]: 'Chuyển lên',
  [TranslatableString.RemoveButton]: 'Xóa',
  [TranslatableString.NowLabel]: 'Bây giờ',
  [TranslatableString.ClearLabel]: 'Xóa',
  [TranslatableString.AriaDateLabel]: 'Chọn ngày',
  [TranslatableString.PreviewLabel]: 'Xem trước',
  [TranslatableString.DecrementAriaLabel]: 'Giảm 1',
  [TranslatableString.IncrementAriaLabel]: 'Tăng 1',
  [TranslatableString.ClearButton]: 'Xóa nội dung',
  [TranslatableString.UnsupportedField]: 'Trường dữ liệu chưa được hỗ trợ.',
};

/**
 * The array buttons with names a screen reader can say: the theme's icon-only buttons are named
 * after their icons ("plus-circle", "delete"); here the icon is hidden and the text is the name.
 */
function iconButton(icon: ReactNode, text: TranslatableString, danger = false) {
  return function RjsfIconButton({ onClick, disabled, registry, id, className }: IconButtonProps) {
    const label = registry.translateString(text);
    return (
      <Button
        id={id}
        className={className}
        size="small"
        danger={danger}
        disabled={disabled}
        onClick={onClick as MouseEventHandler<HTMLElement>}
        icon={icon}
        aria-label={label}
        title={label}
      />
    );
  };
}

function AddButton({ onClick, disabled, registry, id, className }: IconButtonProps) {
  return (
    <Button id={id} className={className} type="dashed" disabled={disabled} onClick={onClick as MouseEventHandler<HTMLElement>} icon={<PlusOutlined aria-hidden />}>
      {registry.translateString(TranslatableString.AddItemButton)}
    </Button>
  );
}

const BUTTONS = {
  ButtonTemplates: {
    AddButton,
    CopyButton: iconButton(<CopyOutlined aria-hidden />, TranslatableString.CopyButton),
    MoveDownButton: iconButton(<ArrowDownOutlined aria-hidden />, TranslatableString.MoveDownButton),
    MoveUpButton: iconButton(<ArrowUpOutlined aria-hidden />, TranslatableString.MoveUpButton),
    RemoveButton: iconButton(<DeleteOutlined aria-hidden />, TranslatableString.RemoveButton, true),
  },
} as unknown as Partial<TemplatesType<FormData, RJSFSchema>>;

export type OnlineFormProps = {
  schema: Schema;
  uiSchema?: Record<string, unknown>;
  formData: FormData;
  onChange?: (data: FormData) => void;
  /** Show errors as the user types (after a first failed attempt). */
  liveValidate?: boolean;
  readonly?: boolean;
  disabled?: boolean;
  /** Prefix of the fields' ids: two forms on one page need different ones. */
  idPrefix?: string;
  extraErrors?: Record<string, { __errors: string[] }>;
};

/**
 * An online form rendered from the procedure's JSON Schema and UI hints (@rjsf/antd), with
 * labels, help and errors tied to each field for screen readers. The parent validates through
 * the ref (`validateForm()`), the form has no submit button of its own.
 */
export const OnlineForm = forwardRef<Core<FormData, RJSFSchema>, OnlineFormProps>(function OnlineForm(
  { schema, uiSchema, formData, onChange, liveValidate, readonly, disabled, idPrefix = 'form', extraErrors },
  ref,
) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const translateString = useMemo(
    () => (s: TranslatableString, params?: string[]) =>
      lng === 'en' || !VI_STRINGS[s] ? englishStringTranslator(s, params) : englishStringTranslator(VI_STRINGS[s] as TranslatableString, params),
    [lng],
  );
  return (
    <Form
      // A new language re-renders the messages.
      key={lng}
      ref={ref}
      schema={schema as RJSFSchema}
      uiSchema={(uiSchema ?? {}) as UiSchema<FormData, RJSFSchema>}
      formData={formData}
      validator={localValidator}
      onChange={(e) => onChange?.((e.formData ?? {}) as FormData)}
      liveValidate={liveValidate ? 'onChange' : undefined}
      showErrorList={false}
      noHtml5Validate
      readonly={readonly}
      disabled={disabled}
      idPrefix={idPrefix}
      translateString={translateString}
      extraErrors={extraErrors as never}
      focusOnFirstError
      templates={BUTTONS}
      // Labels above their fields, left-aligned, without the trailing colon.
      formContext={{ labelAlign: 'left', colon: false }}
      className="online-form"
    >
      <></>
    </Form>
  );
});

/** Values of a submitted form, labelled with the schema's titles (for review pages). */
export function formAnswers(schema: Schema | null | undefined, data: FormData): { key: string; label: string; value: string }[] {
  const props = (schema?.properties ?? {}) as Record<string, { title?: string; type?: string }>;
  const order = [...Object.keys(props), ...Object.keys(data).filter((k) => !(k in props))];
  const show = (v: unknown): string => {
    if (v === undefined || v === null || v === '') return '';
    if (Array.isArray(v)) return v.map(show).filter(Boolean).join('; ');
    if (typeof v === 'boolean') return v ? i18next.t('jsonForm.yes') : i18next.t('jsonForm.no');
    if (typeof v === 'number') return v.toLocaleString(i18next.language === 'en' ? 'en-US' : 'vi-VN');
    if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${show(x)}`).join(', ');
    return String(v);
  };
  return order
    .filter((k) => data[k] !== undefined && data[k] !== null && data[k] !== '')
    .map((k) => ({ key: k, label: props[k]?.title ?? k, value: show(data[k]) }));
}
