/** The gateway's JSON, snake_case as on the wire (Confluent REST v3 shapes and Brook's additions). */

export interface Related {
  related: string;
}

export interface Cluster {
  cluster_id: string;
  controller?: Related | null;
}

export interface Broker {
  broker_id: number;
  host: string;
  port: number;
  rack?: string | null;
  /** Newer gateways: the dashboard's extras on each broker. */
  is_controller?: boolean | null;
  partitions_led?: number | null;
  log_size_bytes?: number | null;
}

/** What newer gateways add to a broker: partitions it leads, its log size, whether it controls. */
export interface BrokerDetails {
  partitionsLed: number | null;
  replicas: number | null;
  logSizeBytes: number | null;
  isController: boolean | null;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  is_default?: boolean;
  is_read_only?: boolean;
  is_sensitive?: boolean;
  source?: string;
}

export interface Topic {
  topic_name: string;
  is_internal: boolean;
  replication_factor: number;
  partitions_count: number;
  /** Newer gateways: the topic's size on the leaders' disks. */
  size_bytes?: number | null;
}

export interface Partition {
  topic_name: string;
  partition_id: number;
  leader_id: number | null;
  replica_ids: number[];
  isr_ids: number[];
  earliest_offset: number;
  latest_offset: number;
  size_bytes?: number | null;
}

export interface RecordData {
  type: 'JSON' | 'STRING' | 'BINARY' | string;
  data: unknown;
}

export interface Header {
  name: string;
  value: string | null;
}

export interface RecordView {
  topic_name?: string;
  partition_id: number;
  offset: number;
  timestamp: string;
  key: RecordData | null;
  value: RecordData | null;
  headers: Header[];
}

export interface ReadResult {
  next_offset: number;
  records: RecordView[];
}

export interface ProduceRecord {
  partition_id?: number;
  key?: RecordData;
  value?: RecordData;
  headers?: Header[];
}

export interface ProduceResult {
  error_code: number;
  partition_id: number;
  offset: number;
  timestamp: string;
}

export type SearchEvent =
  | { kind: 'record'; data: RecordView }
  | { kind: 'progress'; data: SearchProgress }
  | { kind: 'done'; data: SearchProgress }
  | { kind: string; data: unknown };

export interface SearchProgress {
  scanned?: number;
  matched?: number;
  matches?: number;
  total?: number;
  reason?: string;
  [k: string]: unknown;
}

export interface ConsumerGroup {
  consumer_group_id: string;
  state: string;
  is_simple: boolean;
  partition_assignor?: string;
  coordinator?: Related | null;
}

export interface Consumer {
  consumer_id: string;
  instance_id?: string | null;
  client_id: string;
  host: string;
}

export interface GroupLag {
  topic_name: string;
  partition_id: number;
  current_offset: number;
  log_end_offset: number;
  lag: number;
  consumer_id?: string | null;
  client_id?: string | null;
}

export interface LagPoint {
  time: number;
  lag: number;
}

export interface ResetRequest {
  to: 'earliest' | 'latest' | 'timestamp' | 'offset';
  timestamp?: number;
  offset?: number;
  topic_name?: string;
  partition_id?: number;
}

export interface ResetPreview {
  consumer_group_id: string;
  offsets: Array<{ topic_name: string; partition_id: number; offset: number }>;
  /** Newer gateways: whether nothing was changed, and the preview per partition. */
  dry_run?: boolean;
  partitions?: Array<{ topic: string; partition: number; current_offset: number | null; new_offset: number; lag_after: number }>;
}

export interface User {
  user_name: string;
  credentials: Array<{ mechanism: string; iterations: number }>;
}

export interface Acl {
  resource_type: string;
  resource_name: string;
  pattern_type: string;
  principal: string;
  host: string;
  operation: string;
  permission: string;
}

export type AclFilter = Partial<Acl>;

/** Who is logged in; operations null = not told (everything offered, the gateway decides). */
export interface Me {
  user: string | null;
  securityEnabled: boolean;
  operations: string[] | null;
}

/** Throughput samples: times in ms since the epoch; per topic where the gateway gives it. */
export interface ThroughputSeries {
  times: number[];
  messagesPerSec: number[];
  bytesPerSec: number[];
  topics: Record<string, { messagesPerSec: number[]; bytesPerSec: number[] }>;
}
