import { isRoutableAppKey } from '@tether/protocol';
import { defaultAppCredentials, resolveApp, type AppConfig, type AppInput } from './app-config.js';

/** The apps one process serves, found by key (connections) or by id (HTTP API). */
export class AppRegistry {
  private readonly byKey = new Map<string, AppConfig>();
  private readonly byId = new Map<string, AppConfig>();

  constructor(inputs: readonly AppInput[] = []) {
    const list = inputs.length > 0 ? inputs : [defaultAppCredentials];
    for (const input of list) {
      const app = resolveApp(input);
      if (!isRoutableAppKey(app.key))
        throw new Error(`The app key ${JSON.stringify(app.key)} cannot appear in a URL path`);
      if (this.byKey.has(app.key)) throw new Error(`Two apps share the key ${app.key}`);
      if (this.byId.has(app.id)) throw new Error(`Two apps share the id ${app.id}`);
      this.byKey.set(app.key, app);
      this.byId.set(app.id, app);
    }
  }

  findByKey(key: string): AppConfig | undefined {
    return this.byKey.get(key);
  }

  findById(id: string): AppConfig | undefined {
    return this.byId.get(id);
  }

  all(): AppConfig[] {
    return [...this.byId.values()];
  }
}
