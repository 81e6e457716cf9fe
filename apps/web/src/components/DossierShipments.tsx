import { useEffect, useId, useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Radio, Space, Tag, Timeline, Typography } from 'antd';
import { SendOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DossierDetail, Quote, Shipment, ShipmentKind, ShipmentStatus } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { useProcedure } from '../api/catalog';
import { ApiRequestError } from '../api/client';
import { dossierKey, MY_DOSSIERS_KEY } from '../api/dossiers';
import {
  APPLICANT_DELIVERY_DOSSIER_STATES, cancelShipment, CANCELLABLE_SHIPMENT, createShipment, DESK_DELIVERY_DOSSIER_STATES, dossierShipmentsKey,
  OPEN_SHIPMENT, PICKUP_DOSSIER_STATES, quotePostage, useDossierShipments, type NewShipment,
} from '../api/post';
import { hasRole, useMe } from '../auth/session';
import { formatDateTimeShort, formatMoney } from '../lib/format';
import { localise } from '../lib/server-errors';
import { ErrorAlert } from './ErrorAlert';

/** Solid colours with white text (WCAG AA), as the dossier status tags. */
const STATUS_COLOURS: Record<ShipmentStatus, string> = {
  requested: '#595959',
  created: '#0b4f9c',
  accepted: '#3f3f99',
  in_transit: '#0b4f9c',
  delivered: '#1e6b34',
  failed: '#8c1d18',
  returned: '#8a5300',
  cancelled: '#595959',
  booking_failed: '#8c1d18',
};

/** A Vietnamese mobile number, as the sign-up form and the server check it. */
const PHONE = /^(?:\+84|84|0)[35789]\d{8}$/;
const cleanPhone = (v: string | undefined) => (v ?? '').replace(/[\s.-]/g, '');

type OrderForm = {
  /** `known-<i>`: one of the dossier's addresses; `other`: typed below. */
  choice?: string;
  street?: string;
  commune?: string;
  province?: string;
  phone?: string;
  weightGrams?: number;
  note?: string;
};

/** The addresses the dossier already holds, for a one-click choice. */
function knownAddresses(d: DossierDetail, kind: ShipmentKind): string[] {
  const list = kind === 'delivery' ? [d.delivery.address, d.applicant.address] : [d.applicant.address];
  return [...new Set(list.map((a) => a?.trim()).filter((a): a is string => !!a && a.length >= 5))];
}

function composeAddress(v: OrderForm, known: string[]): string {
  if (v.choice?.startsWith('known-')) return known[Number(v.choice.slice(6))] ?? '';
  return [v.street, v.commune, v.province].map((p) => p?.trim()).filter(Boolean).join(', ');
}

/** The server's field messages, in the interface language, for a summary under an error. */
function fieldMessages(error: unknown, lng: string): string[] {
  return error instanceof ApiRequestError ? error.fields.map((f) => localise(f.message, lng)) : [];
}

function ShipmentStatusTag({ status }: { status: ShipmentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid="shipment-status" data-status={status}>
      {t(`shipments.status.${status}`)}
    </Tag>
  );
}

/**
 * Ordering a pickup or a delivery: the address (one the dossier holds, or a new one typed as
 * street, commune and province), the phone the postman calls, then the postage quoted by the
 * post office, then confirmation.
 */
function ShipmentOrder({ d, kind, staff, onClose }: { d: DossierDetail; kind: ShipmentKind; staff: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<OrderForm>();
  const known = knownAddresses(d, kind);
  const [values, setValues] = useState<OrderForm>(() => ({
    choice: known.length ? 'known-0' : 'other',
    phone: d.applicant.phone ?? '',
    weightGrams: 500,
  }));
  const [quoted, setQuoted] = useState<{ quote: Quote; order: NewShipment } | null>(null);
  const choice = Form.useWatch('choice', form) ?? values.choice;
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const ids = useId();

  const quote = useMutation({
    mutationFn: async (order: NewShipment) => ({ quote: await quotePostage({ kind, address: order.address ?? '', weightGrams: order.weightGrams }), order }),
    onSuccess: setQuoted,
  });
  const create = useMutation({
    mutationFn: (order: NewShipment) => createShipment(d.id, order),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: dossierShipmentsKey(d.id) });
      void message.success(t('shipments.confirm.done'));
      onClose();
    },
  });

  // Screen readers and keyboards follow the step: the confirmation takes the focus.
  useEffect(() => {
    if (quoted) confirmHeading.current?.focus();
  }, [quoted]);

  const submit = (v: OrderForm) => {
    const all = { ...values, ...v };
    setValues(all);
    create.reset();
    quote.mutate({
      kind,
      address: composeAddress(all, known),
      recipientPhone: cleanPhone(all.phone),
      weightGrams: staff ? all.weightGrams : undefined,
      note: all.note?.trim() || undefined,
    });
  };

  if (quoted) {
    const { order } = quoted;
    return (
      <div className="shipment-confirm" data-testid="shipment-confirm">
        <h4 className="sub-heading" ref={confirmHeading} tabIndex={-1}>
          {t('shipments.confirm.title')}
        </h4>
        <Descriptions column={1} size="small" bordered styles={{ label: { width: '40%' } }}>
          <Descriptions.Item label={t(kind === 'delivery' ? 'shipments.fields.recipient' : 'shipments.fields.sender')}>{d.applicant.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('shipments.fields.phone')}>{order.recipientPhone}</Descriptions.Item>
          <Descriptions.Item label={t(kind === 'delivery' ? 'shipments.fields.deliveryAddress' : 'shipments.fields.pickupAddress')}>{order.address}</Descriptions.Item>
          {order.note ? <Descriptions.Item label={t('shipments.fields.note')}>{order.note}</Descriptions.Item> : null}
          {staff && order.weightGrams ? (
            <Descriptions.Item label={t('shipments.fields.weight')}>{t('shipments.fields.weightValue', { grams: order.weightGrams })}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('shipments.confirm.service')}>{quoted.quote.service}</Descriptions.Item>
          <Descriptions.Item label={t('shipments.confirm.fee')}>
            <strong data-testid="shipment-quote">{formatMoney(quoted.quote.fee)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('shipments.confirm.eta')}>{t('shipments.confirm.etaDays', { count: quoted.quote.etaDays })}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
          {t('shipments.confirm.feeNote')}
        </Typography.Paragraph>
        <ErrorAlert error={create.error} extra={fieldMessages(create.error, i18n.language)} />
        <Space wrap>
          <Button type="primary" icon={<SendOutlined aria-hidden />} loading={create.isPending} onClick={() => create.mutate(order)}>
            {t('shipments.confirm.submit')}
          </Button>
          <Button onClick={() => setQuoted(null)} disabled={create.isPending}>
            {t('shipments.confirm.edit')}
          </Button>
        </Space>
      </div>
    );
  }

  const typed = choice === 'other' || known.length === 0;
  const required = { required: true, whitespace: true, message: t('shipments.form.required') };
  return (
    <Form<OrderForm> form={form} layout="vertical" initialValues={values} onFinish={submit} className="shipment-form" data-testid="shipment-form">
      {known.length ? (
        <Form.Item name="choice" label={t(kind === 'delivery' ? 'shipments.form.deliveryAddress' : 'shipments.form.pickupAddress')}>
          <Radio.Group className="vertical-radios">
            {known.map((a, i) => (
              <Radio key={a} value={`known-${i}`}>
                {a}
              </Radio>
            ))}
            <Radio value="other">{t('shipments.form.otherAddress')}</Radio>
          </Radio.Group>
        </Form.Item>
      ) : null}
      {typed ? (
        <fieldset className="plain-fieldset" aria-describedby={`${ids}-address-hint`}>
          <legend>{t(known.length ? 'shipments.form.newAddress' : kind === 'delivery' ? 'shipments.form.deliveryAddress' : 'shipments.form.pickupAddress')}</legend>
          <Typography.Paragraph className="muted" id={`${ids}-address-hint`}>
            {t('shipments.form.addressHint')}
          </Typography.Paragraph>
          <Form.Item name="street" label={t('shipments.form.street')} rules={[required, { min: 3, message: t('shipments.form.minChars', { min: 3 }) }]}>
            <Input maxLength={200} autoComplete="address-line1" />
          </Form.Item>
          <Form.Item name="commune" label={t('shipments.form.commune')} rules={[required]}>
            <Input maxLength={100} autoComplete="address-level2" />
          </Form.Item>
          <Form.Item name="province" label={t('shipments.form.province')} rules={[required]}>
            <Input maxLength={100} autoComplete="address-level1" />
          </Form.Item>
        </fieldset>
      ) : null}
      <Form.Item
        name="phone"
        label={t(kind === 'delivery' ? 'shipments.form.recipientPhone' : 'shipments.form.contactPhone')}
        extra={t('shipments.form.phoneHint')}
        rules={[
          required,
          {
            validator: (_, v: string | undefined) =>
              !v || PHONE.test(cleanPhone(v)) ? Promise.resolve() : Promise.reject(new Error(t('shipments.form.phoneInvalid'))),
          },
        ]}
      >
        <Input inputMode="tel" autoComplete="tel" maxLength={20} />
      </Form.Item>
      {staff ? (
        <Form.Item name="weightGrams" label={t('shipments.form.weight')} rules={[{ required: true, message: t('shipments.form.required') }]}>
          <InputNumber min={1} max={30_000} step={100} precision={0} style={{ width: '100%', maxWidth: 220 }} />
        </Form.Item>
      ) : null}
      <Form.Item name="note" label={t('shipments.form.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <ErrorAlert error={quote.error} extra={fieldMessages(quote.error, i18n.language)} />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={quote.isPending}>
          {t('shipments.form.getQuote')}
        </Button>
        <Button onClick={onClose}>{t('shipments.form.close')}</Button>
      </Space>
    </Form>
  );
}

function CancelShipment({ d, s }: { d: DossierDetail; s: Shipment }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelShipment(d.id, s.id),
    onSuccess: () => {
      void message.success(t('shipments.cancel.done'));
      void queryClient.invalidateQueries({ queryKey: dossierShipmentsKey(d.id) });
    },
  });
  const what = s.trackingCode ?? s.orderCode;
  return (
    <div className="shipment-cancel">
      <ErrorAlert error={cancel.error} />
      <Button
        danger
        icon={<StopOutlined aria-hidden />}
        loading={cancel.isPending}
        onClick={() =>
          modal.confirm({
            title: t('shipments.cancel.title', { code: what }),
            content: t(s.kind === 'pickup' ? 'shipments.cancel.textPickup' : 'shipments.cancel.textDelivery'),
            okText: t('shipments.cancel.confirm'),
            okButtonProps: { danger: true },
            cancelText: t('shipments.cancel.keep'),
            onOk: () => cancel.mutateAsync().catch(() => undefined),
          })
        }
      >
        {t('shipments.cancel.button', { code: what })}
      </Button>
    </div>
  );
}

function ShipmentItem({ d, s, official, mayCancel }: { d: DossierDetail; s: Shipment; official: boolean; mayCancel: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const delivery = s.kind === 'delivery';
  return (
    <article className="shipment" aria-labelledby={headingId} data-testid="shipment" data-kind={s.kind} data-status={s.status} style={{ marginBottom: 16 }}>
      <h3 className="sub-heading" id={headingId}>
        {t(`shipments.kind.${s.kind}`)}
        {s.trackingCode ? ` — ${s.trackingCode}` : ''}
      </h3>
      <ShipmentStatusTag status={s.status} />
      <Descriptions column={1} size="small" styles={{ label: { width: '40%' } }} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('shipments.fields.trackingCode')}>
          {s.trackingCode ? <code data-testid="tracking-code">{s.trackingCode}</code> : <span className="muted">{t('shipments.noTrackingYet')}</span>}
        </Descriptions.Item>
        {official ? <Descriptions.Item label={t('shipments.fields.orderCode')}>{s.orderCode}</Descriptions.Item> : null}
        <Descriptions.Item label={t(delivery ? 'shipments.fields.recipient' : 'shipments.fields.sender')}>
          {s.recipientName}
          {s.recipientPhone ? ` — ${s.recipientPhone}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t(delivery ? 'shipments.fields.deliveryAddress' : 'shipments.fields.pickupAddress')}>{s.address}</Descriptions.Item>
        <Descriptions.Item label={t('shipments.fields.fee')}>{s.fee === null ? <span className="muted">{t('shipments.noFeeYet')}</span> : formatMoney(s.fee)}</Descriptions.Item>
        {official ? <Descriptions.Item label={t('shipments.fields.weight')}>{t('shipments.fields.weightValue', { grams: s.weightGrams })}</Descriptions.Item> : null}
        {s.note ? <Descriptions.Item label={t('shipments.fields.note')}>{s.note}</Descriptions.Item> : null}
      </Descriptions>
      {s.status === 'booking_failed' ? (
        <Alert
          type="warning"
          showIcon
          title={t(official ? 'shipments.bookingFailedDesk' : 'shipments.bookingFailed')}
          description={official && s.error ? s.error : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {delivery && (s.status === 'failed' || s.status === 'returned') ? (
        <Alert type="warning" showIcon title={t(official ? 'shipments.deliveryFailedDesk' : 'shipments.deliveryFailed')} style={{ marginBottom: 12 }} />
      ) : null}
      <h4 className="sub-heading">{t('shipments.tracking')}</h4>
      <Timeline
        className="shipment-timeline"
        data-testid="shipment-tracking"
        items={[
          {
            key: 'requested',
            content: (
              <div className="timeline-entry">
                <strong>{t('shipments.trackingRequested')}</strong>{' '}
                <time dateTime={s.createdAt} className="timeline-time">
                  {formatDateTimeShort(s.createdAt)}
                </time>
              </div>
            ),
          },
          ...s.tracking.map((e, i) => ({
            key: `${i}-${e.status}`,
            color: e.status === 'failed' ? 'red' : e.status === 'delivered' ? 'green' : 'blue',
            content: (
              <div className="timeline-entry">
                <strong>{t(`shipments.status.${e.status}`, { defaultValue: e.status })}</strong>{' '}
                <time dateTime={e.at} className="timeline-time">
                  {formatDateTimeShort(e.at)}
                </time>
                {e.note ? <div className="timeline-comment">“{e.note}”</div> : null}
                {!e.applied ? <div className="muted">{t('shipments.trackingIgnored')}</div> : null}
              </div>
            ),
          })),
          ...(s.status === 'cancelled'
            ? [{ key: 'cancelled', content: <div className="timeline-entry"><strong>{t('shipments.status.cancelled')}</strong> <time dateTime={s.statusAt} className="timeline-time">{formatDateTimeShort(s.statusAt)}</time></div> }]
            : []),
        ]}
      />
      {mayCancel && CANCELLABLE_SHIPMENT.includes(s.status) ? <CancelShipment d={d} s={s} /> : null}
    </article>
  );
}

/**
 * The dossier's postal shipments (bưu chính công ích): each pickup of the papers and delivery of
 * the result with its tracking. The applicant may ask for the ready result by post when the
 * procedure offers it, and cancel a pickup not yet taken in; reception officers order pickups and
 * deliveries and cancel them. Renders nothing when there is nothing to show or to do.
 */
export function DossierShipments({ d, official = false }: { d: DossierDetail; official?: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe();
  const procedure = useProcedure(d.procedure.id);
  const shipments = useDossierShipments(d.id);
  const [ordering, setOrdering] = useState<ShipmentKind | null>(null);
  const headingId = useId();
  const offerId = useId();
  const items = shipments.data?.items ?? [];

  // A shipment that moves on may move the dossier (papers received, result returned): reload it.
  const signature = items.map((s) => `${s.id}:${s.status}`).join(',');
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!shipments.data) return;
    if (seen.current !== null && seen.current !== signature) {
      void queryClient.invalidateQueries({ queryKey: dossierKey(d.id), exact: true });
      if (!official) void queryClient.invalidateQueries({ queryKey: MY_DOSSIERS_KEY });
    }
    seen.current = signature;
  }, [signature, shipments.data, queryClient, d.id, official]);

  const desk = official && hasRole(me.data, 'reception_officer');
  const openOf = (kind: ShipmentKind) => items.some((s) => s.kind === kind && OPEN_SHIPMENT.includes(s.status));
  const delivered = items.some((s) => s.kind === 'delivery' && s.status === 'delivered');
  const postOffered = !!procedure.data?.methods.includes('post');
  const applicantMayOrder = !official && postOffered && APPLICANT_DELIVERY_DOSSIER_STATES.includes(d.status) && !openOf('delivery') && !delivered;
  const deskPickup = desk && PICKUP_DOSSIER_STATES.includes(d.status) && !openOf('pickup');
  const deskDelivery = desk && DESK_DELIVERY_DOSSIER_STATES.includes(d.status) && !openOf('delivery') && !delivered;
  const mayCancel = (s: Shipment) => desk || (!official && s.kind === 'pickup');

  if (shipments.isPending) return null;
  if (!shipments.data) {
    return (
      <Card className="section-card" title={<h2 className="card-heading">{t('shipments.title')}</h2>}>
        <ErrorAlert error={shipments.error} />
      </Card>
    );
  }
  if (items.length === 0 && !applicantMayOrder && !deskPickup && !deskDelivery) return null;

  return (
    <Card
      className="section-card"
      data-testid="dossier-shipments"
      title={
        <h2 className="card-heading" id={headingId}>
          <SendOutlined aria-hidden /> {t('shipments.title')}
        </h2>
      }
    >
      {items.map((s) => (
        <ShipmentItem key={s.id} d={d} s={s} official={official} mayCancel={mayCancel(s)} />
      ))}

      {applicantMayOrder ? (
        <section aria-labelledby={offerId} data-testid="shipment-offer">
          <h3 className="sub-heading" id={offerId}>
            {t('shipments.offer.title')}
          </h3>
          <Typography.Paragraph>{t('shipments.offer.text')}</Typography.Paragraph>
          {ordering === 'delivery' ? (
            <ShipmentOrder d={d} kind="delivery" staff={false} onClose={() => setOrdering(null)} />
          ) : (
            <Button type="primary" icon={<SendOutlined aria-hidden />} onClick={() => setOrdering('delivery')}>
              {t('shipments.offer.button')}
            </Button>
          )}
        </section>
      ) : null}

      {deskPickup || deskDelivery ? (
        <section aria-labelledby={offerId} data-testid="shipment-desk">
          <h3 className="sub-heading" id={offerId}>
            {t('shipments.desk.title')}
          </h3>
          {ordering && ((ordering === 'pickup' && deskPickup) || (ordering === 'delivery' && deskDelivery)) ? (
            <>
              <Typography.Paragraph strong>{t(ordering === 'pickup' ? 'shipments.desk.orderPickup' : 'shipments.desk.orderDelivery')}</Typography.Paragraph>
              <ShipmentOrder d={d} kind={ordering} staff onClose={() => setOrdering(null)} />
            </>
          ) : (
            <Space wrap>
              {deskPickup ? <Button onClick={() => setOrdering('pickup')}>{t('shipments.desk.orderPickup')}</Button> : null}
              {deskDelivery ? <Button onClick={() => setOrdering('delivery')}>{t('shipments.desk.orderDelivery')}</Button> : null}
            </Space>
          )}
        </section>
      ) : null}
    </Card>
  );
}
