-- Spectrum (issue 11): the figures of a period beside the counts the v1 tables had, the state
-- of its computation and narrative, a user's reset point, and the reframe techniques of a turn
-- (plain ids, so "marked helpful" can be counted without decrypting the reframes).
ALTER TABLE "spectrum_weekly" ADD COLUMN "metrics" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_weekly" ADD COLUMN "crisis" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_weekly" ADD COLUMN "dirty" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_weekly" ADD COLUMN "computed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "spectrum_weekly" ADD COLUMN "narrative_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_weekly" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "metrics" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "crisis" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "dirty" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "computed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "narrative_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "spectrum_monthly" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "spectrum_weekly_dirty_idx" ON "spectrum_weekly" USING btree ("week_start") WHERE "dirty";--> statement-breakpoint
CREATE INDEX "spectrum_monthly_dirty_idx" ON "spectrum_monthly" USING btree ("month_start") WHERE "dirty";--> statement-breakpoint
ALTER TABLE "spectrum_turn_analysis" ADD COLUMN "techniques" text[];--> statement-breakpoint
CREATE TABLE "spectrum_user_state" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"reset_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "spectrum_user_state" ADD CONSTRAINT "spectrum_user_state_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
