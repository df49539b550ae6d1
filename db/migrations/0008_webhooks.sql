-- Webhooks: subscriptions, and the outbox of deliveries written in the transaction of each change (ChangeRecorder).

create table webhook_subscriptions (
  id                     uuid primary key,
  url                    text not null check (length(url) between 1 and 2000),
  events                 text[] not null check (cardinality(events) between 1 and 20),
  description            text check (length(description) <= 500),
  active                 boolean not null default true,
  -- The whsec_ signing secret, protected with ASP.NET Core Data Protection: a dump of this table alone cannot sign.
  secret                 text not null,
  -- After a rotation the old secret still signs (a second signature) until previous_secret_until.
  previous_secret        text,
  previous_secret_until  timestamptz,
  disabled_reason        text,
  version                integer not null default 1 check (version >= 1),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now()
);

-- One row per event and subscription. The id is the webhook-id: retries of a delivery keep it.
create table webhook_deliveries (
  id               uuid primary key,
  seq              bigint generated always as identity,
  subscription_id  uuid not null references webhook_subscriptions (id) on delete cascade,
  event            text not null,
  entity           text,
  entity_id        uuid,
  version          integer,
  -- The body exactly as signed and sent.
  payload          text not null,
  status           text not null default 'pending' check (status in ('pending','delivered','dead')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_status      integer,
  last_error       text,
  last_latency_ms  integer,
  last_response    text check (length(last_response) <= 1024),
  created_at       timestamptz not null default now(),
  delivered_at     timestamptz
);
-- The dispatcher's claim: due pending rows in order; and the per-resource order check (an earlier pending row waits).
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, seq) where status = 'pending';
create index webhook_deliveries_resource on webhook_deliveries (subscription_id, entity_id, seq) where status = 'pending';
create index webhook_deliveries_list on webhook_deliveries (subscription_id, seq);

-- A publish with a future time announces article.published when the time comes: once, by whichever node claims it.
create table webhook_schedule (
  entity   text not null,
  id       uuid not null,
  version  integer not null,
  due_at   timestamptz not null,
  primary key (entity, id)
);
create index webhook_schedule_due on webhook_schedule (due_at);
