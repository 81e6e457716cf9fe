/**
 * Feedback and complaints (phản ánh, kiến nghị — PAKN): filing, handling within Decision 766's
 * deadlines (component 5.2), publication, and the figures the service-quality index needs.
 */
export { feedbackRoutes, type FeedbackServices } from './feedback.routes.ts';
export { feedbackIndexFacts, type AgencyFeedbackFacts } from './feedback.service.ts';
export {
  DECISION_766_DEADLINES, deriveFeedback, feedbackTimeliness, lateStages,
  type FeedbackDeadlineRules, type FeedbackTimeliness, type FeedbackTimes, type FeedbackView,
} from './state.ts';
