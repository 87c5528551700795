-- Where a user's reports are delivered (subscriptions): an e-mail address and their WeCom and
-- DingTalk user ids, each optional. Not part of the signed-in user (tokens, /api/me).
ALTER TABLE app.users ADD COLUMN email VARCHAR;
ALTER TABLE app.users ADD COLUMN wecom_id VARCHAR;
ALTER TABLE app.users ADD COLUMN dingtalk_id VARCHAR;
