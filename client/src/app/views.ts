/** Views at an org node (/view/NODE), the task page (/task/ID) and a person's page (/person/STORE?staff=ID). */
export const VIEWS = [
  'overview',
  'drill',
  'product',
  'finance',
  'risks',
  'board',
  'task',
  'person',
  'targets',
  'budgets',
  'scorecards',
  'analysis',
  'forecast',
  'parts',
  'reports',
] as const;
export type ViewName = (typeof VIEWS)[number];
