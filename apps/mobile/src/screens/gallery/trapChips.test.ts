import { trapIds } from '@kalei/contracts/taxonomy';
import { trapChips } from './GalleryScreen';

jest.mock('expo-router', () => ({ useRouter: () => ({ push: jest.fn() }) }));

describe('Gallery trap chips', () => {
  test('every trap without counts while the counts load', () => {
    expect(trapChips(undefined, undefined).map((c) => c.trap)).toEqual([...trapIds]);
  });

  test('the traps that appeared, in the order given (most frequent first), with counts', () => {
    expect(trapChips([{ trap: 'labeling', count: 3 }, { trap: 'mind_reading', count: 1 }], undefined)).toEqual([
      { trap: 'labeling', count: 3 },
      { trap: 'mind_reading', count: 1 },
    ]);
  });

  test('keeps the selected trap at zero so it can be cleared', () => {
    expect(trapChips([{ trap: 'labeling', count: 3 }], 'blaming')).toEqual([
      { trap: 'labeling', count: 3 },
      { trap: 'blaming', count: 0 },
    ]);
  });
});
