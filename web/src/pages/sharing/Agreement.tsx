/** The data-use agreement [001 §32] the requesting body accepts before its channel opens. */
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAcceptAgreement, type ShareRequest } from '../../api/sharing';
import { errorText } from '../../components/serverErrors';

function AgreementText() {
  const { t } = useTranslation();
  const items = t('sharing.agreement.items', { returnObjects: true }) as string[];
  return (
    <div data-testid="agreement-text">
      <Typography.Title level={2} style={{ fontSize: 16, textAlign: 'center' }}>
        {t('sharing.agreement.title')}
      </Typography.Title>
      <Typography.Paragraph>
        {t('sharing.agreement.intro', { citation: '[001 §32]' })}
      </Typography.Paragraph>
      <ol style={{ paddingInlineStart: 22 }}>
        {items.map((text) => (
          <li key={text} style={{ marginBottom: 6 }}>
            {text}
          </li>
        ))}
      </ol>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('sharing.agreement.outro')}
      </Typography.Paragraph>
    </div>
  );
}

/**
 * Shown to the requesting body: the text, a tick box and the accept button, or the accepted state.
 */
export function AgreementCard({
  request,
  canAccept,
}: {
  request: ShareRequest;
  canAccept: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const accept = useAcceptAgreement();
  const [ticked, setTicked] = useState(false);
  const closed = request.status === 'refused' || request.status === 'withdrawn';

  return (
    <Card title={t('sharing.detail.agreement')} data-testid="agreement-card">
      <div
        style={{
          maxHeight: 320,
          overflow: 'auto',
          padding: '12px 16px',
          background: '#fafafa',
          border: '1px solid #f0f0f0',
          borderRadius: 6,
          marginBottom: 16,
        }}
      >
        <AgreementText />
      </div>
      {request.agreementAccepted ? (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleOutlined />}
          title={t('sharing.detail.agreementAccepted')}
          data-testid="agreement-accepted"
        />
      ) : canAccept && !closed ? (
        <>
          {request.status === 'pending' && (
            <Typography.Paragraph type="secondary">
              {t('sharing.detail.agreementNeedsApproval')}
            </Typography.Paragraph>
          )}
          <Checkbox
            checked={ticked}
            onChange={(e) => setTicked(e.target.checked)}
            data-testid="agreement-check"
          >
            {t('sharing.detail.agreementCheck')}
          </Checkbox>
          <div style={{ marginTop: 12 }}>
            <Button
              type="primary"
              disabled={!ticked}
              loading={accept.isPending}
              data-testid="agreement-accept"
              onClick={() =>
                accept.mutate(request.id, {
                  onSuccess: () => void message.success(t('sharing.detail.agreementAcceptedOk')),
                  onError: (e) => void message.error(errorText(e)),
                })
              }
            >
              {t('sharing.detail.agreementAccept')}
            </Button>
          </div>
        </>
      ) : null}
    </Card>
  );
}
