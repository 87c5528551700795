/** Views at an org node (/view/NODE), and the task page (/task/ID). */
export const VIEWS = ['overview', 'drill', 'product', 'finance', 'risks', 'board', 'task'] as const;
export type ViewName = (typeof VIEWS)[number];
