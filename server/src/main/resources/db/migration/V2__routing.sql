-- Per-agent chat limit; NULL means the configured default (routing.maxChatsPerAgent).
ALTER TABLE agents ADD COLUMN max_chats INTEGER CHECK (max_chats IS NULL OR max_chats > 0);
