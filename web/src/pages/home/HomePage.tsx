/** 工作台: who I am, what waits for me (filled by later modules), and my organisation's activity. */
import { Badge, Card, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useActivity, useMe, useWorkbenchTasks } from '../../api/hooks';
import { ActivityChart } from '../../components/ActivityChart';
import { useFormat } from '../../lib/format';

const DAYS = 30;

export function HomePage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const tasks = useWorkbenchTasks();
  const activity = useActivity(DAYS);
  if (!me.data) return null;
  const { user, organisation, permissions } = me.data;
  const everyOrg = permissions.includes('audit.read');
  const zh = i18n.language !== 'en-US';

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginBottom: 4 }}>
          {t('home.greeting', { name: user.displayName })}
        </Typography.Title>
        <Space wrap>
          <Typography.Text type="secondary">{organisation.name}</Typography.Text>
          {user.roles.map((r) => (
            <Tag key={r} color="blue">
              {t(`role.${r}`)}
            </Tag>
          ))}
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={t('home.tasks')} data-testid="workbench-tasks" style={{ height: '100%' }}>
            {tasks.isPending ? (
              <Skeleton active />
            ) : (tasks.data ?? []).length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.noTasks')} />
            ) : (
              <ul className="gs-tasks">
                {(tasks.data ?? []).map((task) => (
                  <li key={`${task.kind}:${task.link}`}>
                    <Link to={task.link}>{zh ? task.title.zh : task.title.en}</Link>
                    <Badge
                      count={fmt.number(task.count)}
                      showZero
                      color={task.count ? '#1677ff' : '#d9d9d9'}
                    />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card
            title={`${t('home.activity', { days: DAYS })} · ${everyOrg ? t('home.activityAll') : t('home.activityOrg')}`}
          >
            {activity.isPending ? (
              <Skeleton active />
            ) : activity.data?.length ? (
              <ActivityChart points={activity.data} days={DAYS} />
            ) : (
              <Empty description={t('home.noActivity')} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
