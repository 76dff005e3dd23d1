-- Issue 18.6: a pass of a campaign's bank within DINGWARDEN_QUIZ_PASS_VALID_DAYS
-- (default 365) before the assignment counts for the campaign. Campaigns
-- assigned before this rule get it once here, with the default: members who
-- had such a pass are recorded as passed at their latest one.
UPDATE quiz_campaign_members
SET passed_at = (
    SELECT MAX(a.finished_at) FROM quiz_attempts a
    JOIN quiz_campaigns c ON c.id = quiz_campaign_members.campaign_id
    WHERE a.staff_id = quiz_campaign_members.staff_id AND a.bank_id = c.bank_id
      AND a.kind = 'regular' AND a.status = 'completed' AND a.passed = 1
      AND a.finished_at >= c.created_at - 31536000000 AND a.finished_at <= c.created_at
)
WHERE passed_at IS NULL AND EXISTS (
    SELECT 1 FROM quiz_attempts a
    JOIN quiz_campaigns c ON c.id = quiz_campaign_members.campaign_id
    WHERE a.staff_id = quiz_campaign_members.staff_id AND a.bank_id = c.bank_id
      AND a.kind = 'regular' AND a.status = 'completed' AND a.passed = 1
      AND a.finished_at >= c.created_at - 31536000000 AND a.finished_at <= c.created_at
);
