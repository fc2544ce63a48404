-- Safety review (issue 12): each safety event keeps its stage-1 score, the model's confidence, the
-- local classifier's probability and the version of what decided, never text; a Mirror session
-- carries its conversation's accumulated safety risk.
ALTER TABLE "safety_events" ADD COLUMN "stage1_score" real;--> statement-breakpoint
ALTER TABLE "safety_events" ADD COLUMN "stage2_confidence" real;--> statement-breakpoint
ALTER TABLE "safety_events" ADD COLUMN "classifier_score" real;--> statement-breakpoint
ALTER TABLE "safety_events" ADD COLUMN "version" text;--> statement-breakpoint
ALTER TABLE "mirror_sessions" ADD COLUMN "safety_risk" real DEFAULT 0 NOT NULL;
