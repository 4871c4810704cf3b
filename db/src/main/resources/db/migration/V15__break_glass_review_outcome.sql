-- SPDX-License-Identifier: Apache-2.0
-- A break-glass review's outcome (issue #8): APPROVED (the emergency access was justified) or FLAGGED (suspected
-- inappropriate access, for the security incident procedures of 164.308(a)(6)). Reviews made before this column
-- existed could only close an event, so they count as approved.
ALTER TABLE break_glass_event ADD COLUMN review_outcome VARCHAR(16);
UPDATE break_glass_event SET review_outcome = 'APPROVED' WHERE reviewed_at IS NOT NULL;
