-- PostgreSQL twin of db/migration/V11__canned.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Canned responses (issue 5): shared ones (owner_id NULL; admins manage them) and each agent's own.
CREATE TABLE canned_responses (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT REFERENCES agents(id),    -- NULL: shared by every agent
    shortcut    TEXT NOT NULL,                 -- without the slash, no spaces, Latin letters lower case
    locale      TEXT NOT NULL CHECK (locale IN ('ko', 'en')),
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- One response per owner (or shared), shortcut and language: adding it again replaces the text.
CREATE UNIQUE INDEX canned_responses_key ON canned_responses(coalesce(owner_id, ''), shortcut, locale);

-- The shared responses every console starts with (they were the personal defaults before).
INSERT INTO canned_responses(id, owner_id, shortcut, locale, body, updated_at) VALUES
 ('cr_seed_ko_1', NULL, '인사', 'ko', '안녕하세요, 소담 상담원입니다. 무엇을 도와드릴까요?', 0),
 ('cr_seed_ko_2', NULL, '배송', 'ko', '주문하신 상품은 결제 후 1~2일 안에 출고되고, 출고 후 보통 1~2일이면 받아보실 수 있어요. 주문번호를 알려주시면 바로 확인해 드릴게요.', 0),
 ('cr_seed_ko_3', NULL, '환불', 'ko', '환불은 취소가 접수된 뒤 영업일 기준 3~5일 안에 결제하신 수단으로 처리돼요.', 0),
 ('cr_seed_ko_4', NULL, '마무리', 'ko', '더 궁금하신 점이 있으면 언제든 말씀해 주세요. 좋은 하루 보내세요!', 0),
 ('cr_seed_en_1', NULL, 'hello', 'en', 'Hi, this is Sodam support. How can I help you today?', 0),
 ('cr_seed_en_2', NULL, 'shipping', 'en', 'Orders ship within 1–2 days of payment and usually arrive 1–2 days after that. If you share your order number, I will check it right away.', 0),
 ('cr_seed_en_3', NULL, 'refund', 'en', 'Refunds go back to your original payment method within 3–5 business days after the cancellation is confirmed.', 0),
 ('cr_seed_en_4', NULL, 'bye', 'en', 'Is there anything else I can help with? Have a great day!', 0);
