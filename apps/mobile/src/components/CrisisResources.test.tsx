import { fireEvent, render } from '@testing-library/react-native';
import * as Linking from 'expo-linking';
import { EmergencyBlock, ResourceCard, dialable } from './CrisisResources';

jest.mock('expo-linking', () => ({ openURL: jest.fn(async () => true) }));

describe('crisis resources', () => {
  it('shows emergency guidance with a call button per number', async () => {
    const view = await render(<EmergencyBlock emergency={{ guidance: 'If you are in immediate danger, call 911 now.', numbers: [{ number: '911', label: 'Emergency services' }] }} />);
    expect(await view.findByText('If you are in immediate danger, call 911 now.')).toBeTruthy();
    await fireEvent.press(view.getByLabelText('Call 911, Emergency services'));
    expect(Linking.openURL).toHaveBeenLastCalledWith('tel:911');
  });

  it('offers to call and text a helpline, by label', async () => {
    const view = await render(<ResourceCard resource={{ name: '988 Suicide & Crisis Lifeline', phone: '988', text: { number: '988' }, hours: '24/7' }} />);
    expect(view.getByText('24/7')).toBeTruthy();
    await fireEvent.press(view.getByLabelText('Call 988, 988 Suicide & Crisis Lifeline'));
    expect(Linking.openURL).toHaveBeenCalledWith('tel:988');
    await fireEvent.press(view.getByLabelText('Text 988, 988 Suicide & Crisis Lifeline'));
    expect(Linking.openURL).toHaveBeenLastCalledWith(expect.stringMatching(/^sms:988/));
  });

  it('names the website button by its service', async () => {
    const view = await render(<ResourceCard resource={{ name: '988 Lifeline', url: 'https://988lifeline.org' }} />);
    await fireEvent.press(view.getByLabelText('Visit 988 Lifeline website'));
    expect(Linking.openURL).toHaveBeenLastCalledWith('https://988lifeline.org');
  });

  it.each([
    ['116 123', '116123'],
    ['+44 (0) 800 689 5652', '+4408006895652'],
  ])('dials %s as %s', (input, expected) => {
    expect(dialable(input)).toBe(expected);
  });
});
