import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';
import { contentIdSettingIssues, DEFAULT_CONTENT_ID } from '../../core/shopify/contentIds';
import { eventIdTemplateIssues } from '../../core/shopify/order';

/**
 * Settings that would make every delivery's output wrong are refused at activation, where a
 * person sees the message, rather than discovered in Meta's deduplication later.
 */
export function assertUsableSettings(this: IHookFunctions): void {
	const options = this.getNodeParameter('options', {}) as {
		views?: string[];
		eventIdTemplate?: string;
		contentId?: string;
	};
	if (options.views?.includes('metaEventId')) {
		const issues = eventIdTemplateIssues(options.eventIdTemplate || '{id}');
		if (issues.length) throw new NodeOperationError(this.getNode(), `Event ID Template: ${issues.join('; ')}`);
	}
	if (options.views?.includes('metaCustomData')) {
		const issues = contentIdSettingIssues(options.contentId || DEFAULT_CONTENT_ID);
		if (issues.length) throw new NodeOperationError(this.getNode(), `Content ID: ${issues.join('; ')}`);
	}
}
