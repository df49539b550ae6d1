-- The get-by-slug document (all includes, reader) built by PostgreSQL: the json_agg design the issue asks to compare.
-- Same rows as ArticleRepository's batch; not the contract byte for byte (timestamps, body key order). Parameter @Slug.
select json_build_object(
 'id', a.id, 'slug', a.slug, 'title', a.title, 'summary', a.summary, 'language', a.language, 'status', a.status,
 'publishedAt', a.published_at, 'section', a.section, 'tags', a.tags, 'byline', a.byline, 'heroImage', a.hero_image, 'body', a.body, 'corrections', a.corrections,
 'people', (select coalesce(json_agg(json_build_object('personId', x.person_id, 'role', x.role, 'person',
     (select row_to_json(p) from (select p.id, p.slug, p.name, p.aliases, p.title, p.affiliation, p.description, p.wikidata_id as "wikidataId", p.image_url as "imageUrl", p.version, p.created_at as "createdAt", p.updated_at as "updatedAt" from people p where p.id = x.person_id) p)) order by x.position), '[]') from article_people x where x.article_id = a.id),
 'sources', (select coalesce(json_agg(json_build_object('sourceId', x.source_id, 'relation', x.relation, 'source',
     (select row_to_json(s) from (select s.id, s.slug, s.name, s.kind, s.url, s.country, s.version, s.created_at as "createdAt", s.updated_at as "updatedAt" from sources s where s.id = x.source_id) s)) order by x.position), '[]') from article_sources x where x.article_id = a.id),
 'quoteIds', (select coalesce(json_agg(x.quote_id order by x.position), '[]') from article_quotes x where x.article_id = a.id),
 'version', a.version, 'createdAt', a.created_at, 'updatedAt', a.updated_at,
 'quotes', (select coalesce(json_agg(json_build_object('id', q.id, 'text', q.text, 'language', q.language, 'type', q.type, 'speakerId', q.speaker_id,
     'speakerRole', q.speaker_role, 'saidOn', q.said_on, 'occasion', q.occasion, 'sourceId', q.source_id, 'sourceUrl', q.source_url, 'translationOfId', q.translation_of_id,
     'articleIds', (select coalesce(json_agg(aq2.article_id order by aq2.article_id), '[]') from article_quotes aq2 join articles a2 on a2.id = aq2.article_id where aq2.quote_id = q.id and a2.status = 'published' and a2.published_at <= now()),
     'version', q.version, 'createdAt', q.created_at, 'updatedAt', q.updated_at,
     'speaker', (select row_to_json(p) from (select p.id, p.slug, p.name, p.aliases, p.title, p.affiliation, p.description, p.wikidata_id as "wikidataId", p.image_url as "imageUrl", p.version, p.created_at as "createdAt", p.updated_at as "updatedAt" from people p where p.id = q.speaker_id) p),
     'source', (select row_to_json(s) from (select s.id, s.slug, s.name, s.kind, s.url, s.country, s.version, s.created_at as "createdAt", s.updated_at as "updatedAt" from sources s where s.id = q.source_id) s)) order by aq.position), '[]')
   from article_quotes aq join quotes q on q.id = aq.quote_id where aq.article_id = a.id)
)::text
from articles a where a.slug = @Slug and a.status = 'published' and a.published_at <= now()
