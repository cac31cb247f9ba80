/** One step of the demo's story: what runs, at which instant of the simulated clock (demo.ts runs them in time order). */
export interface DemoAction {
  at: number;
  run: () => Promise<void>;
}
