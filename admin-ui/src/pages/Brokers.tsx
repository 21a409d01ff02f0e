import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../auth';
import { useAsync } from '../hooks';
import { Async, Empty } from '../components/States';
import { bytes, count } from '../format';
import { controllerId } from './Overview';
import type { Broker, BrokerDetails } from '../api/types';
import { normalizeBrokerDetails } from '../api/normalize';

export function BrokersPage() {
  const api = useApi();
  const state = useAsync(async () => {
    const [cluster, brokers] = await Promise.all([api.getCluster(), api.brokers()]);
    const details = brokers.map((b) => normalizeBrokerDetails(b));
    const controller = controllerId(cluster.controller?.related) ?? brokers.find((b) => b.is_controller)?.broker_id ?? null;
    return { controller, brokers, details };
  }, [api]);
  return (
    <section>
      <h1>Brokers</h1>
      <Async state={state} what="Loading brokers">
        {({ controller, brokers, details }) =>
          brokers.length === 0 ? (
            <Empty>No broker is registered in ZooKeeper.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Id</th>
                    <th>Address</th>
                    <th>Rack</th>
                    <th>Partitions led</th>
                    <th>Log size</th>
                  </tr>
                </thead>
                <tbody>
                  {brokers.map((b: Broker, i) => (
                    <BrokerRow key={b.broker_id} broker={b} details={details[i]} controller={controller === b.broker_id} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}

function BrokerRow({ broker, details, controller }: { broker: Broker; details: BrokerDetails | null; controller: boolean }) {
  return (
    <tr>
      <td>
        <Link to={`/brokers/${broker.broker_id}`}>{broker.broker_id}</Link>
        {controller ? <span className="badge info">controller</span> : null}
      </td>
      <td>
        {broker.host}:{broker.port}
      </td>
      <td>{broker.rack ?? '—'}</td>
      <td>{count(details?.partitionsLed)}</td>
      <td data-testid={`broker-log-size-${broker.broker_id}`}>{bytes(details?.logSizeBytes)}</td>
    </tr>
  );
}

export function BrokerPage() {
  const { id } = useParams();
  const brokerId = Number(id);
  const api = useApi();
  const [filter, setFilter] = useState('');
  const broker = useAsync(async () => {
    const list = await api.brokers();
    const b = list.find((x) => x.broker_id === brokerId);
    if (!b) throw new Error(`Broker ${id} is not registered.`);
    return { broker: b, details: normalizeBrokerDetails(b) };
  }, [api, brokerId]);
  const configs = useAsync(() => api.brokerConfigs(brokerId), [api, brokerId]);
  return (
    <section>
      <p className="crumbs">
        <Link to="/brokers">Brokers</Link> /
      </p>
      <h1>Broker {id}</h1>
      <Async state={broker} what="Loading the broker">
        {({ broker: b, details }) => (
          <dl className="facts">
            <dt>Address</dt>
            <dd>
              {b.host}:{b.port}
            </dd>
            <dt>Rack</dt>
            <dd>{b.rack ?? '—'}</dd>
            <dt>Partitions led</dt>
            <dd>{count(details?.partitionsLed)}</dd>
            <dt>Log size</dt>
            <dd>{bytes(details?.logSizeBytes)}</dd>
          </dl>
        )}
      </Async>
      <h2>Configs</h2>
      <input className="search" placeholder="Filter configs" aria-label="Filter configs" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <Async state={configs} what="Loading configs">
        {(list) => {
          const shown = list.filter((c) => c.name.includes(filter.trim()));
          return shown.length === 0 ? (
            <Empty>No config matches.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Value</th>
                    <th>Source</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <tr key={c.name} className={c.is_default ? 'muted' : ''}>
                      <td>
                        <code>{c.name}</code>
                      </td>
                      <td className="wrap">{c.is_sensitive ? '(sensitive)' : (c.value ?? 'null')}</td>
                      <td>{c.source ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
